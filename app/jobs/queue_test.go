package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// Environment of the replica child process (TestMain).
const (
	envReplicaURL    = "PICKET_JOBS_TEST_REPLICA_URL"
	envReplicaMarker = "PICKET_JOBS_TEST_REPLICA_MARKER"
)

// TestMain doubles as a replica process for TestKilledReplicasJobIsRescued:
// with envReplicaURL set it works the queue until it is killed.
func TestMain(m *testing.M) {
	if url := os.Getenv(envReplicaURL); url != "" {
		if err := runReplica(url, os.Getenv(envReplicaMarker)); err != nil {
			fmt.Fprintln(os.Stderr, "replica:", err)
			os.Exit(3)
		}
		return
	}
	os.Exit(m.Run())
}

// hangingPipeline marks that the scan started, then never returns: the
// replica is killed with the job running.
type hangingPipeline struct{ marker string }

func (p hangingPipeline) Scan(context.Context, jobs.ScanArgs) error {
	if err := os.WriteFile(p.marker, []byte("running"), 0o600); err != nil {
		return err
	}
	select {}
}

func runReplica(url, marker string) error {
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: hangingPipeline{marker: marker}})
	q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond, JobTimeout: -1})
	if err != nil {
		return err
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	select {}
}

func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func countJobs(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = ?`, jobs.ScanArgs{}.Kind()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInsertTxCommitsWithTheTransaction: a job inserted in a transaction
// that rolls back does not exist; one that commits does, and the same
// unique key in a later transaction is reported as a duplicate.
func TestInsertTxCommitsWithTheTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st := openStore(t, url)
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		args := jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: "aaa", Reason: "opened"}
		boom := errors.New("later step failed")
		err = st.InTx(ctx, func(tx store.Tx) error {
			if ok, err := q.InsertTx(ctx, tx, args); err != nil || !ok {
				t.Errorf("InsertTx in the rolled-back tx = %v, %v", ok, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if n := countJobs(t, st); n != 0 {
			t.Fatalf("%d jobs after rollback, want 0", n)
		}
		for i, want := range []bool{true, false} {
			var inserted bool
			err := st.InTx(ctx, func(tx store.Tx) (err error) {
				inserted, err = q.InsertTx(ctx, tx, args)
				return err
			})
			if err != nil || inserted != want {
				t.Errorf("insert %d: inserted %v err %v, want %v", i, inserted, err, want)
			}
		}
		if ok, err := q.Insert(ctx, args); err != nil || ok {
			t.Errorf("Insert outside a tx of the same key = %v, %v; want a duplicate", ok, err)
		}
		if ok, err := q.Insert(ctx, jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: "bbb"}); err != nil || !ok {
			t.Errorf("Insert of a new head = %v, %v; want inserted", ok, err)
		}
		if n := countJobs(t, st); n != 2 {
			t.Errorf("%d jobs, want 2 (aaa once, bbb)", n)
		}
	})
}

// TestQueuesStartConcurrently starts three replicas' stores and queues on
// one fresh database at once: River's migrations must not race.
func TestQueuesStartConcurrently(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		const replicas = 3
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		start := make(chan struct{})
		for i := range replicas {
			wg.Go(func() {
				<-start
				st, err := store.Open(ctx, url)
				if err != nil {
					errs[i] = err
					return
				}
				defer st.Close()
				q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{})
				if err != nil {
					errs[i] = err
					return
				}
				_, errs[i] = q.Insert(ctx, jobs.ScanArgs{Repo: "acme/app", PR: i, HeadSHA: "aaa"})
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
			}
		}
		if n := countJobs(t, openStore(t, url)); n != replicas {
			t.Errorf("%d jobs, want %d", n, replicas)
		}
	})
}

func TestPeriodicJobRuns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st := openStore(t, url)
		p := &recordingPipeline{}
		workers := river.NewWorkers()
		river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: p})
		periodic := river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.ScanArgs{Repo: "acme/app", PR: 7, HeadSHA: "periodic", Reason: "sweep"}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true})
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond,
			PeriodicJobs: []*river.PeriodicJob{periodic}})
		if err != nil {
			t.Fatal(err)
		}
		events, cancel := q.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(ctx)
		select {
		case <-events:
		case <-time.After(60 * time.Second):
			t.Fatal("the periodic job did not run")
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.heads) != 1 || p.heads[0] != "periodic" {
			t.Errorf("pipeline ran for %v, want [periodic]", p.heads)
		}
	})
}

// TestKilledReplicasJobIsRescued runs a replica in a child process, kills
// it with SIGKILL while its scan runs, and checks that another replica
// runs the job again once RescueStuckJobsAfter has passed. It takes the
// time River needs to notice: the dead replica's leadership expiring,
// then the rescuer and the scheduler.
func TestKilledReplicasJobIsRescued(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		t.Parallel() // mostly waiting: let the two dialects wait together
		ctx := context.Background()
		st := openStore(t, url)
		ins, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		args := jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: "aaa", Reason: "opened"}
		if _, err := ins.Insert(ctx, args); err != nil {
			t.Fatal(err)
		}

		marker := filepath.Join(t.TempDir(), "running")
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), envReplicaURL+"="+url, envReplicaMarker+"="+marker)
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- child.Wait() }()
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil {
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("replica exited before running the job: %v", err)
			default:
			}
			if time.Now().After(deadline) {
				child.Process.Kill()
				t.Fatal("the replica never started the job")
			}
		}
		if err := child.Process.Kill(); err != nil { // SIGKILL: no shutdown of any kind
			t.Fatal(err)
		}
		<-exited

		p := &recordingPipeline{}
		workers := river.NewWorkers()
		river.AddWorker(workers, &jobs.ScanWorker{Store: st, Pipeline: p})
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond,
			JobTimeout: time.Second, RescueStuckJobsAfter: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
		defer cancel()
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(ctx)
		select {
		case ev := <-events:
			if ev.Job.State != rivertype.JobStateCompleted || ev.Job.Attempt != 2 {
				t.Errorf("job %s at attempt %d, want completed at attempt 2 (the killed replica had the first)", ev.Job.State, ev.Job.Attempt)
			}
			if len(ev.Job.AttemptedBy) != 2 || ev.Job.AttemptedBy[0] == ev.Job.AttemptedBy[1] {
				t.Errorf("attempted by %v, want two different clients", ev.Job.AttemptedBy)
			}
		case <-time.After(3 * time.Minute):
			t.Fatal("the killed replica's job was never run again")
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.heads) != 1 || p.heads[0] != "aaa" {
			t.Errorf("pipeline ran for %v, want [aaa]", p.heads)
		}
	})
}
