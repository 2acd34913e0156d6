package server

import (
	"testing"
	"time"
)

// The server passes its metrics to the reconciler: the start-up sweep
// that finds an unscanned open pull request counts its scan and its
// run, and the redeliverer's runs are counted too.
func TestServerCountsReconcileRuns(t *testing.T) {
	w := newReconcileWorld(t)
	w.fake.AddPullRequest(rcRepo, w.pr)
	before := float64(time.Now().Unix())
	r := start(t, w.cfg, w.opts...)
	m := r.s.Metrics()
	eventually(t, func() bool {
		text := exposition(t, m)
		return sample(t, text, `picket_reconcile_runs_total{kind="sweep",outcome="ok"}`) >= 1 &&
			sample(t, text, `picket_reconcile_runs_total{kind="deliveries",outcome="ok"}`) >= 1
	})
	if n := scrapeValue(t, m, "picket_reconcile_sweep_enqueued_total"); n != 1 {
		t.Errorf("sweep enqueued %v scans, want 1 (the one open pull request)", n)
	}
	text := exposition(t, m)
	for _, kind := range []string{"sweep", "deliveries"} {
		if v := sample(t, text, `picket_reconcile_last_success_timestamp_seconds{kind="`+kind+`"}`); v < before {
			t.Errorf("%s last success = %v, want a time after the server's start %v", kind, v, before)
		}
	}
}
