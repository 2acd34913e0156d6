package test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql"
	promparser "github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
)

// alertExpr is the expression of the alert named name in alerts.yml.
func alertExpr(t *testing.T, name string) string {
	t.Helper()
	groups, errs := rulefmt.ParseFile(filepath.Join(repoRoot, "deploy", "prometheus", "alerts.yml"), false, model.UTF8Validation)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == name {
				return r.Expr
			}
		}
	}
	t.Fatalf("alert %s not in alerts.yml", name)
	return ""
}

// TestAlertsFireWhenTheyShould evaluates the reconciler's and the
// retention's alerts with Prometheus' own query engine on made-up series
// (promtool's series notation, one sample per step from time 0): each
// fires in the situation it describes and stays quiet in the normal one.
// It checks the expression only; "for:" is Prometheus' business.
func TestAlertsFireWhenTheyShould(t *testing.T) {
	t.Parallel()
	lost := alertExpr(t, "PicketWebhooksLost")
	retention := alertExpr(t, "PicketRetentionNotRunning")
	for _, tc := range []struct {
		name   string
		expr   string
		step   time.Duration
		series []string
		at     time.Duration
		fires  bool
	}{
		{"webhooks lost: a redelivery every 5 minutes", lost, 5 * time.Minute, []string{
			`picket_reconcile_redeliveries_total{instance="a",result="requested"} 0+1x30`,
			`picket_reconcile_redeliveries_total{instance="a",result="recorded"} 0+0x30`,
		}, 2 * time.Hour, true},
		{"webhooks lost: given up counts too, summed over replicas", lost, 5 * time.Minute, []string{
			`picket_reconcile_redeliveries_total{instance="a",result="given_up"} 0+0.5x30`,
			`picket_reconcile_redeliveries_total{instance="b",result="requested"} 0+0.5x30`,
		}, 2 * time.Hour, true},
		{"webhooks lost: quiet for a few around a deploy", lost, 5 * time.Minute, []string{
			`picket_reconcile_redeliveries_total{instance="a",result="requested"} 0 0 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4`,
		}, 2 * time.Hour, false},
		{"webhooks lost: quiet when the failures were recorded anyway", lost, 5 * time.Minute, []string{
			`picket_reconcile_redeliveries_total{instance="a",result="recorded"} 0+10x30`,
		}, 2 * time.Hour, false},
		{"retention: last success 47 hours ago", retention, time.Hour, []string{
			`picket_retention_last_success_timestamp_seconds{instance="a"} 0+0x60`,
		}, 47 * time.Hour, false},
		{"retention: last success 49 hours ago", retention, time.Hour, []string{
			`picket_retention_last_success_timestamp_seconds{instance="a"} 0+0x60`,
		}, 49 * time.Hour, true},
		{"retention: the newest success of all replicas counts", retention, time.Hour, []string{
			`picket_retention_last_success_timestamp_seconds{instance="a"} 0+0x60`,
			`picket_retention_last_success_timestamp_seconds{instance="b"} 86400+0x60`,
		}, 49 * time.Hour, false},
		{"retention: every run since the restart failed", retention, time.Hour, []string{
			`picket_retention_runs_total{instance="a",outcome="ok"} 0+0x10`,
			`picket_retention_runs_total{instance="a",outcome="error"} 0+1x10`,
		}, 5 * time.Hour, true},
		{"retention: an error, then a success", retention, time.Hour, []string{
			`picket_retention_runs_total{instance="a",outcome="ok"} 0 0 1 1 1 1`,
			`picket_retention_runs_total{instance="a",outcome="error"} 0 1 1 1 1 1`,
			`picket_retention_last_success_timestamp_seconds{instance="a"} _ _ 7200 7200 7200 7200`,
		}, 5 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := evalAt(t, tc.series, tc.step, tc.expr, tc.at)
			if fires := len(v) > 0; fires != tc.fires {
				t.Errorf("at %v the alert fires = %v (%v), want %v\n%s", tc.at, fires, v, tc.fires, tc.expr)
			}
		})
	}
}

// evalAt evaluates expr at time at over series in promtool's notation,
// sampled every step from time 0.
func evalAt(t *testing.T, series []string, step time.Duration, expr string, at time.Duration) promql.Vector {
	t.Helper()
	var all []storage.Series
	for _, s := range series {
		lset, vals, err := promparser.ParseSeriesDesc(s)
		if err != nil {
			t.Fatalf("series %q: %v", s, err)
		}
		var samples []chunks.Sample
		for i, v := range vals {
			if !v.Omitted {
				samples = append(samples, floatSample{t: int64(i) * step.Milliseconds(), f: v.Value})
			}
		}
		all = append(all, storage.NewListSeries(lset, samples))
	}
	q := &storage.MockQueryable{MockQuerier: &storage.MockQuerier{
		SelectMockFunction: func(sorted bool, _ *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
			var out []storage.Series
		series:
			for _, s := range all {
				for _, m := range ms {
					if !m.Matches(s.Labels().Get(m.Name)) {
						continue series
					}
				}
				out = append(out, s)
			}
			if sorted {
				slices.SortFunc(out, func(a, b storage.Series) int { return labels.Compare(a.Labels(), b.Labels()) })
			}
			return &seriesSlice{s: out, i: -1}
		},
	}}
	eng := promql.NewEngine(promql.EngineOpts{MaxSamples: 1_000_000, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	qry, err := eng.NewInstantQuery(context.Background(), q, nil, expr, time.Unix(0, 0).Add(at))
	if err != nil {
		t.Fatalf("query: %v\n%s", err, expr)
	}
	defer qry.Close()
	res := qry.Exec(context.Background())
	if res.Err != nil {
		t.Fatalf("eval: %v\n%s", res.Err, expr)
	}
	v, err := res.Vector()
	if err != nil {
		t.Fatalf("result %v: %v", res.Value, err)
	}
	return v
}

// floatSample is one float sample of a made-up series.
type floatSample struct {
	t int64
	f float64
}

func (s floatSample) T() int64                    { return s.t }
func (s floatSample) F() float64                  { return s.f }
func (floatSample) H() *histogram.Histogram       { return nil }
func (floatSample) FH() *histogram.FloatHistogram { return nil }
func (floatSample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (s floatSample) Copy() chunks.Sample         { return s }

// seriesSlice is a storage.SeriesSet over a slice.
type seriesSlice struct {
	s []storage.Series
	i int
}

func (s *seriesSlice) Next() bool                      { s.i++; return s.i < len(s.s) }
func (s *seriesSlice) At() storage.Series              { return s.s[s.i] }
func (*seriesSlice) Err() error                        { return nil }
func (*seriesSlice) Warnings() annotations.Annotations { return nil }
