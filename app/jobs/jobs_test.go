package jobs_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/app/webhook"
)

type recordingPipeline struct {
	mu         sync.Mutex
	heads      []string
	superseded []string // heads whose jobs were cancelled unrun
}

// Superseded implements jobs.Superseder.
func (p *recordingPipeline) Superseded(_ context.Context, a jobs.ScanArgs, _ string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.superseded = append(p.superseded, a.HeadSHA)
	return nil
}

func (p *recordingPipeline) Scan(_ context.Context, a jobs.ScanArgs) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.heads = append(p.heads, a.HeadSHA)
	return nil
}

// route maps test deliveries: Action is "open:<sha>" / "close" for pull
// request 1, or "open<pr>:<sha>".
func route(_ context.Context, d webhook.Delivery) (jobs.Plan, error) {
	switch {
	case d.Action == "close":
		return jobs.Plan{Heads: []jobs.Head{{Repo: "acme/app", PR: 1}}}, nil
	case strings.HasPrefix(d.Action, "open") && strings.Contains(d.Action, ":"):
		prefix, sha, _ := strings.Cut(d.Action, ":")
		pr := 1
		if n, err := strconv.Atoi(strings.TrimPrefix(prefix, "open")); err == nil {
			pr = n
		}
		return jobs.Plan{Heads: []jobs.Head{{Repo: "acme/app", PR: pr, SHA: sha}},
			Jobs: []river.JobArgs{jobs.ScanArgs{Repo: "acme/app", PR: pr, HeadSHA: sha, Reason: "synchronize", DeliveryID: d.ID}}}, nil
	case d.Action == "bad":
		return jobs.Plan{}, webhook.ErrInvalidPayload
	}
	return jobs.Plan{}, nil
}

func setup(t testing.TB, url string, p jobs.Pipeline) (*jobs.Recorder, *jobs.Queue) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: p})
	q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &jobs.Recorder{Store: st, Queue: q, Route: route}, q
}

func deliver(t *testing.T, r *jobs.Recorder, id, action string) webhook.Outcome {
	t.Helper()
	out, err := r.Record(context.Background(), webhook.Delivery{ID: id, Event: "pull_request", Action: action, ReceivedAt: time.Now()})
	if err != nil {
		t.Fatalf("Record(%s): %v", id, err)
	}
	return out
}

func TestSupersedeAndDeduplicate(t *testing.T) {
	storetest.ForEach(t, testSupersedeAndDeduplicate)
}

func testSupersedeAndDeduplicate(t *testing.T, url string) {
	p := &recordingPipeline{}
	rec, q := setup(t, url, p)
	ctx := context.Background()
	if out := deliver(t, rec, "d1", "open:aaa"); out != webhook.Accepted {
		t.Fatalf("first delivery: %v", out)
	}
	if out := deliver(t, rec, "d1", "open:aaa"); out != webhook.Duplicate {
		t.Errorf("redelivery: %v, want Duplicate", out)
	}
	// A second event for the same head: the same unique job, said so.
	if out := deliver(t, rec, "d2", "open:aaa"); out != webhook.Coalesced {
		t.Errorf("second event for a queued head: %v, want Coalesced", out)
	}
	deliver(t, rec, "d3", "open:bbb") // a newer push supersedes aaa
	if out := deliver(t, rec, "d4", "something-else"); out != webhook.Ignored {
		t.Errorf("no-work delivery: %v, want Ignored", out)
	}
	if _, err := rec.Record(ctx, webhook.Delivery{ID: "d5", Action: "bad"}); !errors.Is(err, webhook.ErrInvalidPayload) {
		t.Errorf("bad payload: %v", err)
	}

	events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled, river.EventKindJobFailed)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	states := map[string]rivertype.JobState{}
	timeout := time.After(20 * time.Second)
	for len(states) < 2 {
		select {
		case ev := <-events:
			states[string(ev.Job.EncodedArgs)] = ev.Job.State
		case <-timeout:
			t.Fatalf("timed out; states so far %v", states)
		}
	}
	var completed, cancelled int
	for _, s := range states {
		switch s {
		case rivertype.JobStateCompleted:
			completed++
		case rivertype.JobStateCancelled:
			cancelled++
		}
	}
	if completed != 1 || cancelled != 1 {
		t.Errorf("job states %v; want one completed (bbb) and one cancelled (aaa)", states)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.heads) != 1 || p.heads[0] != "bbb" {
		t.Errorf("pipeline ran for %v, want only [bbb]", p.heads)
	}
	if len(p.superseded) != 1 || p.superseded[0] != "aaa" {
		t.Errorf("Superseded called for %v, want [aaa] (its check run must be closed)", p.superseded)
	}
}

func TestClosedPullRequestCancelsWork(t *testing.T) {
	storetest.ForEach(t, testClosedPullRequestCancelsWork)
}

func testClosedPullRequestCancelsWork(t *testing.T, url string) {
	p := &recordingPipeline{}
	rec, q := setup(t, url, p)
	ctx := context.Background()
	deliver(t, rec, "d1", "open:aaa")
	deliver(t, rec, "d2", "close")
	events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	select {
	case ev := <-events:
		if ev.Job.State != rivertype.JobStateCancelled {
			t.Errorf("job state %s, want cancelled", ev.Job.State)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("timed out")
	}
	if len(p.heads) != 0 {
		t.Errorf("pipeline ran for %v after the pull request closed", p.heads)
	}
}
