package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store/storetest"
)

// step is one webhook delivery of the multi-replica scenario.
type step struct {
	pr     *pull
	action string // "opened" or "synchronize"
	push   *bool  // push a new head (planted or not) before sending
	again  int    // > 0: resend this pull request's again-th delivery of a new GUID (1-based), same GUID
}

// plan builds 300 deliveries for the world's 100 pull requests: each
// opened once; 60 immediate duplicates (the same X-GitHub-Delivery sent
// again, to the next replica); 60 superseding pushes, half of them
// changing the verdict, 20 pushed twice; and 60 redeliveries of an
// earlier delivery of the pull request (often of a head already
// superseded), sent later. Each pull request's deliveries keep their
// order; the pull requests are interleaved at random (fixed seed).
func plan(w *world) []step {
	n := len(w.prs)
	perPR := make([][]step, n)
	pick := func(k int) []int { return w.rng.Perm(n)[:k] }
	for i, p := range w.prs {
		perPR[i] = []step{{pr: p, action: "opened"}}
	}
	for _, i := range pick(60) {
		perPR[i] = append(perPR[i], step{pr: w.prs[i], again: 1})
	}
	pushed := 0
	for j, i := range pick(60) {
		pushes := 1
		if j < 20 {
			pushes = 2
		}
		for range pushes {
			flip := pushed%2 == 0
			planted := w.prs[i].planted[0] != flip
			perPR[i] = append(perPR[i], step{pr: w.prs[i], action: "synchronize", push: &planted})
			pushed++
		}
	}
	for _, i := range pick(60) {
		sent := 0 // deliveries of their own GUID so far
		for _, s := range perPR[i] {
			if s.again == 0 {
				sent++
			}
		}
		perPR[i] = append(perPR[i], step{pr: w.prs[i], again: 1 + w.rng.IntN(sent)})
	}
	var out []step
	for {
		var open []int
		for i := range perPR {
			if len(perPR[i]) > 0 {
				open = append(open, i)
			}
		}
		if len(open) == 0 {
			return out
		}
		i := open[w.rng.IntN(len(open))]
		out = append(out, perPR[i][0])
		perPR[i] = perPR[i][1:]
	}
}

// TestReplicasOnPostgresSurviveSIGKILL runs three picket serve processes
// on one PostgreSQL database behind the fake GitHub and real git
// servers, sends them 300 deliveries for 100 pull requests round-robin,
// and kills one with SIGKILL in the middle of a scan: the gateway holds
// that replica's first check-run update after the 100th delivery, so the
// replica has a check run in progress when it dies, and the update never
// reaches GitHub. Another replica must rescue the job. Afterwards every
// pull request's latest head has exactly one completed Picket check run
// with the planted verdict, no comment is duplicated and every delivery
// was answered 2xx, by a replica or by a redelivery of the reconciler.
func TestReplicasOnPostgresSurviveSIGKILL(t *testing.T) {
	db := storetest.PostgresURL(t)
	start := time.Now()
	w := newWorld(t, 10, 10)
	steps := plan(w)
	if len(steps) != 300 {
		t.Fatalf("plan has %d deliveries, want 300", len(steps))
	}
	reps := make([]*replica, 3)
	gws := make([]*gateway, 3)
	for i := range reps {
		gws[i] = newGateway(t, fmt.Sprintf("github-%d", i), w.fake.URL())
		reps[i] = startReplica(t, fmt.Sprintf("picket-%d", i), w.env(gws[i], db, crashEnv))
	}
	w.router.Set(reps...)
	t.Logf("world and 3 replicas ready in %s", time.Since(start).Round(time.Millisecond))
	victim := 2
	sent := time.Now()
	var held *hold
	killed := false
	kill := func() {
		reps[victim].Kill()
		held.Release(false)
		killed = true
		t.Logf("%s: killed %s mid-scan after %d check runs created through it", time.Since(sent).Round(time.Millisecond), reps[victim].name, gws[victim].checkCreates.Load())
	}

	ctx := context.Background()
	guids := map[*pull][]string{}
	for k, s := range steps {
		if k == 100 {
			held = gws[victim].Hold("PATCH", "/repos/*/*/check-runs/*")
		}
		var opts []githubtest.DeliverOption
		var body []byte
		if s.again > 0 {
			opts = append(opts, githubtest.WithDeliveryID(guids[s.pr][s.again-1]))
			body = s.pr.bodies[s.again-1]
		} else {
			if s.push != nil {
				w.push(s.pr, *s.push)
			}
			if !s.pr.shown {
				w.show(s.pr)
			}
			body = w.payload(s.pr, s.action)
		}
		res, err := w.fake.SendWebhook(ctx, "pull_request", body, opts...)
		if s.again == 0 {
			guids[s.pr] = append(guids[s.pr], res.ID)
			s.pr.bodies = append(s.pr.bodies, body)
		}
		if err != nil && !killed {
			t.Fatalf("delivery %d: %v", k, err)
		}
		if held != nil && !killed {
			select {
			case <-held.Arrived():
				kill()
			default:
			}
		}
		// The router notices the death only after three deliveries
		// failed against it, as a load balancer's health check would:
		// GitHub records those as failed, and only the reconciler's
		// redelivery brings them to a live replica.
		if killed && w.router.Failed(reps[victim]) >= 3 {
			w.router.Down(reps[victim])
		}
	}
	w.router.Down(reps[victim])
	if !killed {
		select {
		case <-held.Arrived():
			kill()
		case <-time.After(60 * time.Second):
			t.Fatalf("%s made no check-run update after the 100th delivery", reps[victim].name)
		}
	}
	failed := 0
	for _, d := range w.fake.HookDeliveries() {
		if d.StatusCode/100 != 2 {
			failed++
		}
	}
	t.Logf("deliveries that failed against the killed replica: %d", failed)
	t.Logf("%d deliveries sent in %s", len(steps), time.Since(sent).Round(time.Millisecond))
	// A job the victim finished before it died counts as scanned.
	waitExplain(t, 180*time.Second, "every latest head scanned, its check run completed and every delivery answered", func() bool {
		return w.settled() && w.scanned(reps...) && len(w.lostDeliveries()) == 0
	}, func() string { return w.missing(reps...) })
	t.Logf("settled %s after the last delivery", time.Since(sent).Round(time.Millisecond))
	// The check run the victim left in progress is not left so, even
	// when its head has been superseded meanwhile (the rescued job is
	// then cancelled): a crash must not leave a check stuck.
	repoName, runID := checkRunOf(t, held.Path())
	msg, ok := poll(30*time.Second, "the killed job's check run to complete", func() bool {
		c, ok := w.checkRun(repoName, runID)
		return ok && c.Status == "completed"
	}, func() string {
		c, _ := w.checkRun(repoName, runID)
		latest := "its pull request's latest head"
		for _, p := range w.prs {
			if p.repo.name == repoName && slices.Contains(p.heads, c.HeadSHA) {
				if h, _ := p.latest(); h != c.HeadSHA {
					latest = fmt.Sprintf("a head of #%d superseded by %.8s", p.number, h)
				}
			}
		}
		return fmt.Sprintf("check run %d of %s@%.8s (%s) is still %s", c.ID, repoName, c.HeadSHA, latest, c.Status)
	})
	if !ok {
		t.Error(msg)
	}
	c, _ := w.checkRun(repoName, runID)
	// The killed job itself ran again on a live replica: River's rescue
	// of a job left running, not a new delivery, brought it back.
	if !reps[0].Retried(c.HeadSHA) && !reps[1].Retried(c.HeadSHA) {
		t.Errorf("no live replica ran the killed job of %s@%.8s again (no second attempt logged)", repoName, c.HeadSHA)
	}
	t.Logf("the killed job's check run %d (%s@%.8s) concluded %s: %s", runID, repoName, c.HeadSHA, c.Conclusion, c.Title)
	open := 0
	for _, r := range w.repos {
		for _, c := range w.fake.CheckRuns(r.name) {
			if c.Status != "completed" {
				open++
			}
		}
	}
	t.Logf("check runs of superseded heads left open: %d", open)
	if ps := w.problems(w.tokens); len(ps) > 0 {
		t.Errorf("%d problems:\n%s", len(ps), strings.Join(ps, "\n"))
	}
	if v := w.fake.Violations(); len(v) > 0 {
		t.Errorf("contract violations: %v", v)
	}
	for i, r := range reps {
		t.Logf("%s: %d scan jobs done, %d GitHub calls", r.name, r.Done(), gws[i].calls.Load())
	}
}
