package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// blockingPipeline holds every scan until release is closed.
type blockingPipeline struct {
	started chan string
	release chan struct{}
}

func (p *blockingPipeline) Scan(ctx context.Context, a jobs.ScanArgs) error {
	p.started <- a.HeadSHA
	select {
	case <-p.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestInsertOrRunning(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		p := &blockingPipeline{started: make(chan string, 4), release: make(chan struct{})}
		workers := river.NewWorkers()
		river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: p})
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		args := jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: "abc", Reason: "rescan"}

		// Queued, not running (the queue is not started yet).
		if ins, run, err := q.InsertOrRunning(ctx, args); err != nil || !ins || run {
			t.Fatalf("first insert = %v, %v, %v; want inserted", ins, run, err)
		}
		if ins, run, err := q.InsertOrRunning(ctx, args); err != nil || ins || run {
			t.Fatalf("insert while queued = %v, %v, %v; want a duplicate that is not running", ins, run, err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.StopAndCancel(context.WithoutCancel(ctx)) })
		<-p.started
		if ins, run, err := q.InsertOrRunning(ctx, args); err != nil || ins || !run {
			t.Errorf("insert while running = %v, %v, %v; want a running duplicate", ins, run, err)
		}
		close(p.release)
	})
}
