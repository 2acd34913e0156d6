package metrics_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/metrics"
)

// Every counter series of the background jobs exists at 0 before the
// first run, so that increase() counts a process's first error; the
// last-success gauges do not, so that "never succeeded" is not a time.
func TestOpsSeriesBeforeAnyRun(t *testing.T) {
	t.Parallel()
	text := scrape(t, metrics.New())
	wantLines(t, text,
		`picket_reconcile_runs_total{kind="deliveries",outcome="error"} 0`,
		`picket_reconcile_runs_total{kind="sweep",outcome="ok"} 0`,
		`picket_reconcile_redeliveries_total{result="requested"} 0`,
		`picket_reconcile_redeliveries_total{result="given_up"} 0`,
		`picket_reconcile_sweep_enqueued_total 0`,
		`picket_retention_runs_total{outcome="error"} 0`,
		`picket_retention_pruned_rows_total{table="check_runs"} 0`,
	)
	for _, absent := range []string{"picket_reconcile_last_success_timestamp_seconds{", "picket_retention_last_success_timestamp_seconds "} {
		if strings.Contains(text, absent) {
			t.Errorf("exposition has %s before any run", absent)
		}
	}
}

func TestReconcileRun(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	first := time.Date(2026, 6, 1, 12, 0, 0, 500_000_000, time.UTC)
	m.ReconcileRun(metrics.ReconcileDeliveries, nil, first)
	m.ReconcileRun(metrics.ReconcileDeliveries, errors.New("list: 502"), first.Add(5*time.Minute))
	m.ReconcileRun(metrics.ReconcileSweep, nil, first.Add(time.Hour))
	m.Redeliveries(metrics.RedeliveryRequested, 3)
	m.Redeliveries(metrics.RedeliveryRequested, 0)
	m.Redeliveries(metrics.RedeliveryGivenUp, 1)
	m.SweepEnqueued(2)
	m.SweepEnqueued(0)

	wantLines(t, scrape(t, m),
		`picket_reconcile_runs_total{kind="deliveries",outcome="ok"} 1`,
		`picket_reconcile_runs_total{kind="deliveries",outcome="error"} 1`,
		`picket_reconcile_runs_total{kind="sweep",outcome="ok"} 1`,
		`picket_reconcile_runs_total{kind="sweep",outcome="error"} 0`,
		`picket_reconcile_redeliveries_total{result="requested"} 3`,
		`picket_reconcile_redeliveries_total{result="given_up"} 1`,
		`picket_reconcile_redeliveries_total{result="refused"} 0`,
		`picket_reconcile_sweep_enqueued_total 2`,
	)
	// The failed run does not move the last success; sub-second times
	// are kept.
	if got, want := value(t, m, "picket_reconcile_last_success_timestamp_seconds", "kind", "deliveries"), float64(first.UnixMilli())/1e3; got != want {
		t.Errorf("deliveries last success = %v, want %v (the first run's end)", got, want)
	}
	if got, want := value(t, m, "picket_reconcile_last_success_timestamp_seconds", "kind", "sweep"), float64(first.Add(time.Hour).UnixMilli())/1e3; got != want {
		t.Errorf("sweep last success = %v, want %v", got, want)
	}
}

// value is the gathered value of the series of name whose labels include
// the label pairs kv (none for an unlabelled metric); it fails the test
// when there is no such series.
func value(t *testing.T, m *metrics.Metrics, name string, kv ...string) float64 {
	t.Helper()
	v, ok := m.Value(name, kv...)
	if !ok {
		t.Fatalf("no series %s%v", name, kv)
	}
	return v
}

func TestRetentionRun(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	m.Pruned(metrics.TableDeliveries, 1200)
	m.Pruned(metrics.TableComments, 0)
	m.RetentionRun(nil, end)
	m.Pruned(metrics.TableDeliveries, 5) // deleted before the error
	m.RetentionRun(errors.New("database is locked"), end.Add(24*time.Hour))
	wantLines(t, scrape(t, m),
		`picket_retention_runs_total{outcome="ok"} 1`,
		`picket_retention_runs_total{outcome="error"} 1`,
		`picket_retention_pruned_rows_total{table="deliveries"} 1205`,
		`picket_retention_pruned_rows_total{table="comments"} 0`,
	)
	if got, want := value(t, m, "picket_retention_last_success_timestamp_seconds"), float64(end.Unix()); got != want {
		t.Errorf("retention last success = %v, want %v (the successful run's end, not the failed one's)", got, want)
	}
}
