package metrics_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/metrics"
)

// TestDocsListEveryMetric keeps docs/metrics.md, which the dashboards and
// alert rules in deploy/ are written from, in step with the registry: every
// picket_* metric registered is documented with its labels, and every
// documented one exists.
func TestDocsListEveryMetric(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	// | `name` | type | `label`, `label` | meaning |
	row := regexp.MustCompile("(?m)^\\| `(picket_[a-z_]+)` \\| (counter|gauge|histogram) \\| ([^|]*) \\|")
	documented := map[string][]string{}
	types := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		var labels []string
		for _, l := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(m[3], -1) {
			labels = append(labels, l[1])
		}
		slices.Sort(labels)
		documented[m[1]], types[m[1]] = labels, m[2]
	}
	if len(documented) < 10 {
		t.Fatalf("found %d metric rows in docs/metrics.md; the table format changed?", len(documented))
	}

	// Touch every metric so each has a series to read labels from.
	m := metrics.New()
	m.Webhook("ping", "accepted")
	m.Request("pulls", "200")
	m.RateRemaining(1, "core", 1)
	m.ScanFinished(time.Second, metrics.OutcomeOK, metrics.Size1To10)
	m.Findings("secret", "high", 1)
	m.QueueWait("picket_scan", time.Second)
	m.CacheLookup("memory", true)
	m.InstallationSnoozed()
	m.SlotError()
	m.BudgetWait(0)
	m.ReconcileRun(metrics.ReconcileDeliveries, nil, time.Now())
	m.Redeliveries(metrics.RedeliveryRequested, 1)
	m.SweepEnqueued(1)
	m.RetentionRun(nil, time.Now())
	m.Pruned(metrics.TableDeliveries, 1)
	m.WatchQueue(func(context.Context) ([]metrics.QueueCount, error) { return nil, nil }, "picket_scan")
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "picket_") {
			continue
		}
		registered[name] = true
		want, ok := documented[name]
		if !ok {
			t.Errorf("%s is registered but not in docs/metrics.md", name)
			continue
		}
		if typ := strings.ToLower(mf.GetType().String()); typ != types[name] {
			t.Errorf("%s is a %s, documented as a %s", name, typ, types[name])
		}
		var got []string
		for _, lp := range mf.Metric[0].GetLabel() {
			got = append(got, lp.GetName())
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s has labels %v, documented %v", name, got, want)
		}
	}
	for name := range documented {
		if !registered[name] {
			t.Errorf("docs/metrics.md lists %s, which is not registered", name)
		}
	}
}
