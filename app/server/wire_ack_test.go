package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// badArgs is a job River refuses to insert (priority out of range), to
// fail one delivery's transaction.
type badArgs struct{}

func (badArgs) Kind() string                 { return "picket_test_bad" }
func (badArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Priority: 99} }

func newTestStore(t *testing.T) (*store.Store, *jobs.Queue) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q, err := jobs.NewQueue(context.Background(), st, jobs.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st, q
}

// TestGroupCommit: deliveries that arrive while the database is busy are
// recorded together; each gets its own outcome (a redelivery inside the
// same batch is a duplicate); a delivery that fails does not fail the
// others of its batch.
func TestGroupCommit(t *testing.T) {
	st, q := newTestStore(t)
	route := func(_ context.Context, d webhook.Delivery) (jobs.Plan, error) {
		switch d.Action {
		case "bad":
			return jobs.Plan{Jobs: []river.JobArgs{badArgs{}}}, nil
		case "noop":
			return jobs.Plan{}, nil
		}
		return jobs.Plan{Jobs: []river.JobArgs{jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: d.ID}}}, nil
	}
	g := newGroupCommit(&jobs.Recorder{Store: st, Queue: q, Route: route})
	var mu sync.Mutex
	var sizes []int
	g.onCommit = func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() }

	// Hold the store's one connection so the deliveries pile up.
	conn, err := st.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ds := []webhook.Delivery{{ID: "dup", Action: "opened"}, {ID: "dup", Action: "opened"}, {ID: "bad", Action: "bad"}, {ID: "noop", Action: "noop"}}
	for i := range 20 {
		ds = append(ds, webhook.Delivery{ID: fmt.Sprintf("d%02d", i), Action: "opened"})
	}
	outs := make([]webhook.Outcome, len(ds))
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.Event, d.ReceivedAt = "pull_request", time.Now()
			outs[i], errs[i] = g.Record(context.Background(), d)
		}()
	}
	// Every delivery is either in the first (blocked) transaction or
	// waiting for the next.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		n := len(g.waiting)
		g.mu.Unlock()
		mu.Lock()
		started := len(sizes)
		mu.Unlock()
		if started == 1 && n == len(ds)-sizes[0] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries never queued: %d waiting, %d transactions", n, started)
		}
	}
	conn.Close()
	wg.Wait()

	dups := 0
	for i, d := range ds {
		switch {
		case d.ID == "bad":
			if errs[i] == nil {
				t.Errorf("the bad delivery was recorded")
			}
		case d.ID == "dup":
			if errs[i] != nil {
				t.Errorf("dup: %v", errs[i])
			}
			if outs[i] == webhook.Duplicate {
				dups++
			}
		case d.ID == "noop":
			if errs[i] != nil || outs[i] != webhook.Ignored {
				t.Errorf("noop: %v %v, want Ignored", outs[i], errs[i])
			}
		default:
			if errs[i] != nil || outs[i] != webhook.Accepted {
				t.Errorf("%s: %v %v, want Accepted", d.ID, outs[i], errs[i])
			}
		}
	}
	if dups != 1 {
		t.Errorf("duplicates = %d, want 1 of the two deliveries with one id", dups)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sizes) < 2 || sizes[1] < 2 {
		t.Errorf("transaction sizes %v: the waiting deliveries were not committed together", sizes)
	}
	var jobsN, deliveries int
	if err := st.DB.QueryRow("SELECT count(*) FROM river_job").Scan(&jobsN); err != nil {
		t.Fatal(err)
	}
	if jobsN != 21 {
		t.Errorf("jobs = %d, want 21 (20 and one for the duplicated id)", jobsN)
	}
	if err := st.DB.QueryRow("SELECT count(*) FROM picket_delivery").Scan(&deliveries); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	if deliveries != 22 {
		t.Errorf("deliveries recorded = %d, want 22 (all but the bad one, the duplicate once)", deliveries)
	}
}

// A request whose context ends while it waits gets its context's error.
func TestGroupCommitRequestCancelled(t *testing.T) {
	st, q := newTestStore(t)
	g := newGroupCommit(&jobs.Recorder{Store: st, Queue: q, Route: func(context.Context, webhook.Delivery) (jobs.Plan, error) {
		return jobs.Plan{}, nil
	}})
	conn, err := st.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Record(ctx, webhook.Delivery{ID: "x", Event: "ping"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	conn.Close()
	// The delivery is still recorded once the connection is free.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if ok, err := st.HasDelivery(context.Background(), "x"); err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cancelled request's delivery was never recorded")
		}
	}
}
