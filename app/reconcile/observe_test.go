package reconcile

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/metrics"
)

var _ Observer = (*metrics.Metrics)(nil)

// metricValue is the value of the series of name whose labels include
// kv, and whether there is one.
func metricValue(t *testing.T, m *metrics.Metrics, name string, kv ...string) (float64, bool) {
	t.Helper()
	return m.Value(name, kv...)
}

// wantMetric checks the value of one series.
func wantMetric(t *testing.T, m *metrics.Metrics, want float64, name string, kv ...string) {
	t.Helper()
	got, ok := metricValue(t, m, name, kv...)
	if !ok || got != want {
		t.Errorf("%s%v = %v (present %v), want %v", name, kv, got, ok, want)
	}
}

// One run meets a failed delivery of each kind: GitHub refuses the first
// redelivery, the second was recorded by the app, the third is
// redelivered. The metrics say so, by result, and the run's success and
// time; a run that fails leaves the last success where it was.
func TestRedelivererReportsToTheObserver(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(fail, recordFail, fail)
	for pr := 1; pr <= 3; pr++ {
		e.send(t, pr)
	}
	e.fake.InjectFault("POST", "apps/redeliver-webhook-delivery", githubtest.Fault{Status: http.StatusUnprocessableEntity, Times: 1})
	m := metrics.New()
	end := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	r := e.redeliverer()
	r.Observer, r.Now = m, func() time.Time { return end }
	res := e.run(t, r)
	if res.Failed != 3 || res.Refused != 1 || res.Recorded != 1 || res.Redelivered != 1 {
		t.Fatalf("run = %+v, want 3 failed: 1 refused, 1 recorded, 1 redelivered", res)
	}
	const redeliveries = "picket_reconcile_redeliveries_total"
	wantMetric(t, m, float64(res.Redelivered), redeliveries, "result", metrics.RedeliveryRequested)
	wantMetric(t, m, float64(res.Refused), redeliveries, "result", metrics.RedeliveryRefused)
	wantMetric(t, m, float64(res.Recorded), redeliveries, "result", metrics.RedeliveryRecorded)
	wantMetric(t, m, 0, redeliveries, "result", metrics.RedeliveryGivenUp)
	wantMetric(t, m, 1, "picket_reconcile_runs_total", "kind", metrics.ReconcileDeliveries, "outcome", metrics.RunOK)
	wantMetric(t, m, float64(end.Unix()), "picket_reconcile_last_success_timestamp_seconds", "kind", metrics.ReconcileDeliveries)
	if _, ok := metricValue(t, m, "picket_reconcile_last_success_timestamp_seconds", "kind", metrics.ReconcileSweep); ok {
		t.Error("the sweep has a last success, but it never ran")
	}

	// GitHub's delivery log cannot be read: the run fails.
	e.fake.InjectFault("GET", "apps/list-webhook-deliveries", githubtest.Fault{Status: http.StatusNotFound})
	r.Now = func() time.Time { return end.Add(5 * time.Minute) }
	if _, err := r.Run(context.Background()); err == nil {
		t.Fatal("Run with the delivery log unreadable succeeded")
	}
	wantMetric(t, m, 1, "picket_reconcile_runs_total", "kind", metrics.ReconcileDeliveries, "outcome", metrics.RunError)
	wantMetric(t, m, 1, "picket_reconcile_runs_total", "kind", metrics.ReconcileDeliveries, "outcome", metrics.RunOK)
	wantMetric(t, m, float64(end.Unix()), "picket_reconcile_last_success_timestamp_seconds", "kind", metrics.ReconcileDeliveries)
	wantMetric(t, m, float64(res.Redelivered), redeliveries, "result", metrics.RedeliveryRequested)
}

// A delivery the app fails every time is given up, and counted so.
func TestRedelivererReportsGivingUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(fail, fail, fail)
	e.send(t, 1)
	m := metrics.New()
	r := e.redeliverer()
	r.Observer, r.MaxAttempts = m, 1
	var total RedeliverResult
	for range 2 {
		res := e.run(t, r)
		total.Redelivered += res.Redelivered
		total.GivenUp += res.GivenUp
	}
	if total.Redelivered != 1 || total.GivenUp != 1 {
		t.Fatalf("two runs redelivered %d and gave up %d, want 1 and 1", total.Redelivered, total.GivenUp)
	}
	wantMetric(t, m, 1, "picket_reconcile_redeliveries_total", "result", metrics.RedeliveryRequested)
	wantMetric(t, m, 1, "picket_reconcile_redeliveries_total", "result", metrics.RedeliveryGivenUp)
	wantMetric(t, m, 2, "picket_reconcile_runs_total", "kind", metrics.ReconcileDeliveries, "outcome", metrics.RunOK)
}

// The sweep reports the scans it enqueued and its success.
func TestSweeperReportsToTheObserver(t *testing.T) {
	t.Parallel()
	e, q := sweepEnv(t)
	m := metrics.New()
	end := time.Date(2026, 6, 2, 3, 4, 5, 0, time.UTC)
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q, Observer: m, Now: func() time.Time { return end }}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Enqueued == 0 || res.Enqueued != len(q.scans()) {
		t.Fatalf("sweep = %+v with %d scans queued, want some, all counted", res, len(q.scans()))
	}
	wantMetric(t, m, float64(res.Enqueued), "picket_reconcile_sweep_enqueued_total")
	wantMetric(t, m, 1, "picket_reconcile_runs_total", "kind", metrics.ReconcileSweep, "outcome", metrics.RunOK)
	wantMetric(t, m, 0, "picket_reconcile_runs_total", "kind", metrics.ReconcileSweep, "outcome", metrics.RunError)
	wantMetric(t, m, float64(end.Unix()), "picket_reconcile_last_success_timestamp_seconds", "kind", metrics.ReconcileSweep)

	// The app's installations cannot be listed: the run fails and no
	// time moves.
	e.fake.InjectFault("GET", "apps/list-installations", githubtest.Fault{Status: http.StatusNotFound})
	s.Now = func() time.Time { return end.Add(24 * time.Hour) }
	if _, err := s.Run(context.Background()); err == nil {
		t.Fatal("sweep with the installations unreadable succeeded")
	}
	wantMetric(t, m, 1, "picket_reconcile_runs_total", "kind", metrics.ReconcileSweep, "outcome", metrics.RunError)
	wantMetric(t, m, float64(end.Unix()), "picket_reconcile_last_success_timestamp_seconds", "kind", metrics.ReconcileSweep)
}

// The observer's labels are the ones app/metrics documents and seeds at
// zero: a value that differed would start a new, undocumented series.
func TestObserverLabelsMatchMetrics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ reconcile, metrics string }{
		{KindDeliveries, metrics.ReconcileDeliveries}, {KindSweep, metrics.ReconcileSweep},
		{ResultRequested, metrics.RedeliveryRequested}, {ResultRefused, metrics.RedeliveryRefused},
		{ResultGivenUp, metrics.RedeliveryGivenUp}, {ResultRecorded, metrics.RedeliveryRecorded},
	} {
		if tc.reconcile != tc.metrics {
			t.Errorf("reconcile says %q, metrics %q", tc.reconcile, tc.metrics)
		}
	}
}
