package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/app/webhook"
)

// TestRecordedJobRunsWithoutWaitingForAPoll: the workers poll once an
// hour, so a job committed by the webhook's transaction runs within the
// test only if its commit woke them: Wake on SQLite, River's listener on
// PostgreSQL. A second delivery shows it was not the start-up fetch.
func TestRecordedJobRunsWithoutWaitingForAPoll(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st := openStore(t, url)
		p := &recordingPipeline{}
		workers := river.NewWorkers()
		river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: p})
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Stop(context.Background()) })
		rec := &jobs.Recorder{Store: st, Queue: q, Route: route}
		for i, sha := range []string{"aaa", "bbb"} {
			// Let the start-up fetch (or the previous job's) pass first.
			time.Sleep(100 * time.Millisecond)
			d := webhook.Delivery{ID: sha, Event: "pull_request", Action: "open" + string(rune('1'+i)) + ":" + sha}
			if out, err := rec.Record(ctx, d); err != nil || out != webhook.Accepted {
				t.Fatalf("Record = %v, %v", out, err)
			}
			waitFor(t, 10*time.Second, func() bool {
				p.mu.Lock()
				defer p.mu.Unlock()
				return len(p.heads) == i+1
			})
		}
	})
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
