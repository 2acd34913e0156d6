package test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	promql "github.com/prometheus/prometheus/promql/parser"
)

// metric is one metric app/metrics defines.
type metric struct {
	kind   string          // counter, gauge, histogram, summary, or desc (a custom collector)
	labels map[string]bool // nil when the source does not show them literally
}

// metricSet is what app/metrics defines, read from its Go source so that
// renaming a metric or a label there breaks this test.
type metricSet struct {
	byName  map[string]metric
	runtime bool // the Go runtime and process collectors are registered
}

// targetLabels are added by Prometheus' scrape and Kubernetes relabelling,
// not by Picket.
var targetLabels = map[string]bool{"job": true, "instance": true, "pod": true, "namespace": true, "service": true, "container": true, "endpoint": true}

// external are the metric names used that Picket does not export, each
// with its source; a name missing here and from app/metrics fails.
var external = map[string]string{
	"up": "Prometheus, per scrape target",
	"kube_deployment_status_replicas_unavailable": "kube-state-metrics",
}

var optsKinds = map[string]string{"CounterOpts": "counter", "GaugeOpts": "gauge", "HistogramOpts": "histogram", "SummaryOpts": "summary"}

// loadMetrics parses app/metrics' non-test Go files: every
// prometheus.XxxOpts{Name: "…"} (with the labels of a NewXxxVec call
// around it) and every prometheus.NewDesc("…", help, labels, …).
func loadMetrics(t *testing.T) metricSet {
	t.Helper()
	dir := filepath.Join(repoRoot, "app", "metrics")
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	set := metricSet{byName: map[string]metric{}}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := selName(call.Fun)
			switch {
			case fn == "NewGoCollector" || fn == "NewProcessCollector":
				set.runtime = true
			case fn == "NewDesc" && len(call.Args) >= 3:
				if name, ok := stringLit(call.Args[0]); ok {
					set.byName[name] = metric{kind: "desc", labels: stringSlice(call.Args[2])}
				}
			case strings.HasPrefix(fn, "New") && len(call.Args) >= 1:
				lit, ok := call.Args[0].(*ast.CompositeLit)
				if !ok {
					return true
				}
				kind, ok := optsKinds[selName(lit.Type)]
				if !ok {
					return true
				}
				name := optsName(lit)
				if name == "" {
					return true
				}
				m := metric{kind: kind, labels: map[string]bool{}}
				if strings.HasSuffix(fn, "Vec") {
					m.labels = nil
					if len(call.Args) >= 2 {
						m.labels = stringSlice(call.Args[1])
					}
				}
				set.byName[name] = m
			}
			return true
		})
	}
	if len(set.byName) < 5 {
		t.Fatalf("found only %d metrics in app/metrics: is the parser still right?", len(set.byName))
	}
	return set
}

func selName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// stringSlice reads []string{"a", "b"}; nil (unknown) for anything else.
func stringSlice(e ast.Expr) map[string]bool {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
			return map[string]bool{}
		}
		return nil
	}
	out := map[string]bool{}
	for _, el := range lit.Elts {
		s, ok := stringLit(el)
		if !ok {
			return nil
		}
		out[s] = true
	}
	return out
}

// optsName joins Namespace, Subsystem and Name of an Opts literal.
func optsName(lit *ast.CompositeLit) string {
	parts := map[string]string{}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if s, ok := stringLit(kv.Value); ok {
			parts[selName(kv.Key)] = s
		}
	}
	var name []string
	for _, k := range []string{"Namespace", "Subsystem", "Name"} {
		if parts[k] != "" {
			name = append(name, parts[k])
		}
	}
	if parts["Name"] == "" {
		return ""
	}
	return strings.Join(name, "_")
}

// resolve maps a series name to its metric and the labels the series
// carries, or reports why it is unknown.
func (s metricSet) resolve(series string) (labels map[string]bool, known bool, why string) {
	if m, ok := s.byName[series]; ok {
		if m.kind == "histogram" || m.kind == "summary" {
			return nil, false, "a histogram has no series of its bare name; use _bucket, _sum or _count"
		}
		return m.labels, true, ""
	}
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(series, suf)
		if !ok {
			continue
		}
		m, ok := s.byName[base]
		if !ok || (m.kind != "histogram" && !(m.kind == "summary" && suf != "_bucket")) {
			continue
		}
		if m.labels == nil {
			return nil, true, ""
		}
		l := map[string]bool{}
		for k := range m.labels {
			l[k] = true
		}
		if suf == "_bucket" {
			l["le"] = true
		}
		return l, true, ""
	}
	if _, ok := external[series]; ok {
		return nil, true, ""
	}
	if s.runtime && (strings.HasPrefix(series, "go_") || strings.HasPrefix(series, "process_")) {
		return nil, true, ""
	}
	return nil, false, "not defined in app/metrics (docs/metrics.md)"
}

// checkExpr parses one PromQL expression and checks every metric it
// selects, and every label it matches on, against app/metrics.
func checkExpr(t reporter, set metricSet, where, expr string) (names []string) {
	t.Helper()
	e, err := promql.ParseExpr(expr)
	if err != nil {
		t.Errorf("%s: PromQL does not parse: %v\n%s", where, err, expr)
		return nil
	}
	promql.Inspect(e, func(n promql.Node, _ []promql.Node) error {
		vs, ok := n.(*promql.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name == "" {
			t.Errorf("%s: a selector without a metric name: %s", where, vs)
			return nil
		}
		names = append(names, vs.Name)
		labels, known, why := set.resolve(vs.Name)
		if !known {
			t.Errorf("%s: metric %s: %s", where, vs.Name, why)
			return nil
		}
		for _, m := range vs.LabelMatchers {
			if m.Name == "__name__" || targetLabels[m.Name] || labels == nil {
				continue
			}
			if !labels[m.Name] {
				t.Errorf("%s: %s has no label %q (labels: %v)", where, vs.Name, m.Name, keys(labels))
			}
		}
		return nil
	})
	// Labels an aggregation keeps must exist on what it aggregates.
	promql.Inspect(e, func(n promql.Node, _ []promql.Node) error {
		agg, ok := n.(*promql.AggregateExpr)
		if !ok || agg.Without {
			return nil
		}
		avail := map[string]bool{}
		unknown := false
		promql.Inspect(agg.Expr, func(n promql.Node, _ []promql.Node) error {
			if vs, ok := n.(*promql.VectorSelector); ok {
				l, _, _ := set.resolve(vs.Name)
				if l == nil {
					unknown = true
				}
				for k := range l {
					avail[k] = true
				}
			}
			return nil
		})
		for _, g := range agg.Grouping {
			if !unknown && !avail[g] && !targetLabels[g] {
				t.Errorf("%s: %s by (%s): no series aggregated there has label %q", where, agg.Op, strings.Join(agg.Grouping, ", "), g)
			}
		}
		return nil
	})
	return names
}

// grafanaVars replaces the dashboard's variables with values PromQL
// accepts.
var grafanaVars = strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h", "$job", "picket")

type dashboard struct {
	Title      string  `json:"title"`
	UID        string  `json:"uid"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name string `json:"name"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	GridPos struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
}

func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	set := loadMetrics(t)
	b, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "grafana", "picket.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var d dashboard
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	if d.Title == "" || d.UID == "" {
		t.Errorf("dashboard title %q uid %q: both needed for provisioning", d.Title, d.UID)
	}
	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
	}
	if !vars["datasource"] || !vars["job"] {
		t.Errorf("template variables = %v, want datasource and job", keys(vars))
	}
	used := map[string]bool{}
	ids := map[int]bool{}
	type cell struct{ x, y int }
	grid := map[cell]string{}
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice", p.ID)
		}
		ids[p.ID] = true
		// Panels must not overlap on Grafana's 24-column grid.
		for x := p.GridPos.X; x < p.GridPos.X+p.GridPos.W; x++ {
			for y := p.GridPos.Y; y < p.GridPos.Y+p.GridPos.H; y++ {
				if prev, ok := grid[cell{x, y}]; ok {
					t.Errorf("panel %q overlaps %q at (%d,%d)", p.Title, prev, x, y)
				}
				grid[cell{x, y}] = p.Title
			}
		}
		if p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q is wider than the grid", p.Title)
		}
		if p.Type == "row" {
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q does not use the datasource variable", p.Title)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for i, tg := range p.Targets {
			if !strings.Contains(tg.Expr, `job=~"$job"`) {
				t.Errorf("panel %q query %d ignores the job variable: %s", p.Title, i, tg.Expr)
			}
			for _, n := range checkExpr(t, set, "panel "+strconv.Quote(p.Title), grafanaVars.Replace(tg.Expr)) {
				used[n] = true
			}
		}
	}
	// What issue 6 asks the dashboard to show.
	for _, n := range []string{
		"picket_webhooks_total", "picket_queue_jobs", "picket_queue_wait_seconds_bucket",
		"picket_scan_duration_seconds_bucket", "picket_findings_total", "picket_github_requests_total",
		"picket_github_rate_limit_remaining", "picket_cache_hits_total", "picket_cache_lookups_total",
	} {
		if !used[n] {
			t.Errorf("no panel shows %s", n)
		}
	}
}

func TestAlertRules(t *testing.T) {
	t.Parallel()
	set := loadMetrics(t)
	path := filepath.Join(repoRoot, "deploy", "prometheus", "alerts.yml")
	// rulefmt is what Prometheus and promtool check rules use: it parses
	// every expression and template and rejects unknown fields.
	groups, errs := rulefmt.ParseFile(path, false, model.UTF8Validation)
	for _, err := range errs {
		t.Errorf("%s: %v", path, err)
	}
	if groups == nil {
		t.Fatal("no rule groups")
	}
	alerts := map[string]bool{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts[r.Alert] = true
			checkExpr(t, set, "alert "+r.Alert, r.Expr)
			if sev := r.Labels["severity"]; sev != "warning" && sev != "critical" {
				t.Errorf("alert %s: severity %q, want warning or critical", r.Alert, sev)
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("alert %s lacks a summary or a description", r.Alert)
			}
			if r.For == 0 {
				t.Errorf("alert %s has no for: it would fire on one bad evaluation", r.Alert)
			}
		}
	}
	// What issue 6 and the deployment brief ask for.
	for _, a := range []string{
		"PicketWebhookServerErrors", "PicketWebhookRejected", "PicketQueueWaitHigh", "PicketScansFailing",
		"PicketGitHubRateLimitLow", "PicketNoScansWhileWebhooksArrive", "PicketInstanceDown", "PicketReplicasUnavailable",
		// What the reconciler and retention metrics are for.
		"PicketWebhooksLost", "PicketRetentionNotRunning",
	} {
		if !alerts[a] {
			t.Errorf("alert %s missing", a)
		}
	}
}

// TestMetricCheckCatchesRenames proves the checker fails on what it must
// catch, so a green run means something.
func TestMetricCheckCatchesRenames(t *testing.T) {
	t.Parallel()
	set := loadMetrics(t)
	tests := []struct {
		name, expr string
		ok         bool
	}{
		{"known counter", `sum by (outcome) (rate(picket_webhooks_total[5m]))`, true},
		{"histogram bucket", `histogram_quantile(0.95, sum by (le, size) (rate(picket_scan_duration_seconds_bucket{outcome="ok"}[5m])))`, true},
		{"renamed metric", `rate(picket_webhook_total[5m])`, false},
		{"bare histogram", `picket_scan_duration_seconds`, false},
		{"unknown label", `picket_webhooks_total{status="ok"}`, false},
		{"unknown grouping", `sum by (repo) (picket_findings_total)`, false},
		{"bucket of a counter", `picket_findings_total_bucket`, false},
		{"syntax error", `sum(rate(picket_webhooks_total[5m])`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			checkExpr(rec, set, tc.name, tc.expr)
			if got := len(rec.errs) == 0; got != tc.ok {
				t.Errorf("check(%s) ok = %v, want %v (errors: %v)", tc.expr, got, tc.ok, rec.errs)
			}
		})
	}
}

// recorder collects errors instead of failing, for the self-test.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// reporter is the part of testing.T that checkExpr reports through.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}
