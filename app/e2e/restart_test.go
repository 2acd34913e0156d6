package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRestartMidReviewOnSQLite kills the only process with SIGKILL while
// its review is on its way to GitHub (the gateway holds the POST), starts
// the process again on the same SQLite file, and wants the review
// completed without a second check run, review or comment. Either the
// review never reached GitHub ("review lost": the restarted process must
// post it) or GitHub received it and only the answer was lost ("answer
// lost": the restarted process must not post it again).
func TestRestartMidReviewOnSQLite(t *testing.T) {
	for _, tc := range []struct {
		name    string
		forward bool
	}{{"review lost", false}, {"answer lost", true}} {
		t.Run(tc.name, func(t *testing.T) { restartMidReview(t, tc.forward) })
	}
}

func restartMidReview(t *testing.T, forward bool) {
	w := newWorld(t, 1, 2)
	gw := newGateway(t, "github", w.fake.URL())
	db := "sqlite:" + filepath.Join(t.TempDir(), "picket.db")
	env := w.env(gw, db, crashEnv)
	held := gw.Hold("POST", "/repos/*/*/pulls/*/reviews")
	first := startReplica(t, "picket-1", env)
	w.router.Set(first)
	ctx := context.Background()
	for _, p := range w.prs {
		w.show(p)
		if res, err := w.fake.SendWebhook(ctx, "pull_request", w.payload(p, "opened")); err != nil || res.Status/100 != 2 {
			t.Fatalf("deliver opened #%d: %v %d %s", p.number, err, res.Status, res.Body)
		}
	}
	select {
	case <-held.Arrived():
	case <-time.After(90 * time.Second):
		t.Fatalf("no review was posted within 90 s; log:\n%s", tail(first.Logs(), 8<<10))
	}
	first.Kill()
	w.router.Down(first)
	held.Release(forward)

	second := startReplica(t, "picket-2", env)
	w.router.Set(second)
	// The check run of the killed job completed before its review was
	// posted: wait for the job itself, run again by the new process.
	waitExplain(t, 100*time.Second, "every pull request's scan job to finish after the restart", func() bool {
		return w.scanned(first, second) && w.settled()
	}, func() string { return w.missing(first, second) })
	if ps := w.problems(w.tokens); len(ps) > 0 {
		t.Errorf("after the restart:\n%s", strings.Join(ps, "\n"))
	}
	for _, p := range w.prs {
		n := len(w.fake.Reviews(p.repo.name, p.number))
		if _, planted := p.latest(); planted && n != 1 {
			t.Errorf("%s#%d adds a token: %d reviews, want 1", p.repo.name, p.number, n)
		}
		if n > 1 {
			t.Errorf("%s#%d: %d reviews, want at most 1", p.repo.name, p.number, n)
		}
	}
	if lost := w.lostDeliveries(); len(lost) > 0 {
		t.Errorf("deliveries never answered 2xx: %v", lost)
	}
}

// crashEnv shortens what decides how soon a killed process's job runs
// again: the job timeout and River's rescue of jobs left running.
var crashEnv = map[string]string{
	"PICKET_JOB_TIMEOUT":        "10s",
	"PICKET_RESCUE_AFTER":       "12s",
	"PICKET_RECONCILE_INTERVAL": "2s",
}
