package server

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/app/store"
)

// This file wires issue 6's fairness and observability into the server:
//
//   - fairWorker bounds the scans running at once per installation across
//     all replicas (database leases, store.AcquireSlot) and snoozes the
//     rest, so one noisy installation cannot take every worker;
//   - it also records the scan's duration by outcome and size class;
//   - queueWait records every job's wait in the queue (River middleware);
//   - queueCounter feeds picket_queue_jobs from River's table;
//   - pipelineMetrics counts the result cache's look-ups.

// DefaultInstallationConcurrency is PICKET_INSTALLATION_CONCURRENCY's
// default: scans of one installation running at once across replicas.
const DefaultInstallationConcurrency = 2

// slotTTL is how long an installation slot's lease lasts if its holder
// never releases it (a replica killed with SIGKILL): the job timeout
// (PICKET_JOB_TIMEOUT; River cancels the scan then) plus a minute for the
// scan to notice and give the slot back. A shorter lease could be taken
// over while its scan still runs.
func slotTTL(jobTimeout time.Duration) time.Duration {
	if jobTimeout <= 0 {
		jobTimeout = DefaultJobTimeout
	}
	return jobTimeout + time.Minute
}

// snoozeBase is the mean delay before a job whose installation has no
// free slot is tried again; each snooze is jittered by ±50% so that the
// jobs of a busy installation do not all come back at once.
const snoozeBase = 2 * time.Second

// releaseTimeout bounds giving a slot back after the job's context has
// ended; a release that fails leaves the lease to expire after slotTTL.
const releaseTimeout = 5 * time.Second

// slotStore is what fairWorker needs of the store (a *store.Store).
type slotStore interface {
	AcquireSlot(ctx context.Context, installation int64, holder string, max int, ttl time.Duration) (release func(context.Context) error, ok bool, err error)
}

var _ slotStore = (*store.Store)(nil)

// fairWorker wraps the scan worker: it takes one of the installation's
// slots before running the scan and snoozes the job when none is free.
// River does not count a snooze as an attempt (River v0.49: the executor
// stores attempt-1 for a snoozed job), so a job of a busy installation
// waits as long as needed without nearing its last attempt; other
// installations' jobs, queued behind it, run meanwhile because a snoozed
// job is scheduled again after them.
type fairWorker struct {
	river.Worker[jobs.ScanArgs]

	slots  slotStore // nil: no limit
	max    int       // slots per installation; < 1: no limit
	ttl    time.Duration
	holder string               // this replica's name in leases
	snooze func() time.Duration // delay before a snoozed job is tried again
	m      *metrics.Metrics     // never nil
	log    *slog.Logger         // never nil
	now    func() time.Time     // time.Now; a test may fix it
}

// Work implements river.Worker.
func (w *fairWorker) Work(ctx context.Context, job *river.Job[jobs.ScanArgs]) error {
	if w.slots != nil && w.max > 0 {
		inst := job.Args.InstallationID
		release, ok, err := w.slots.AcquireSlot(ctx, inst, fmt.Sprintf("%s job %d", w.holder, job.ID), w.max, w.ttl)
		if err != nil {
			// The database is failing: River retries with backoff (an
			// attempt is used, as for any other failure of the job).
			w.m.SlotError()
			return fmt.Errorf("installation %d slot: %w", inst, err)
		}
		if !ok {
			w.m.InstallationSnoozed()
			d := w.snooze()
			w.log.DebugContext(ctx, "installation busy; job snoozed", logkey.JobID, job.ID,
				logkey.InstallationID, inst, "max", w.max, "retry_in", d)
			return river.JobSnooze(d)
		}
		defer func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
			defer cancel()
			if err := release(rctx); err != nil {
				// Best effort: the lease expires after ttl anyway.
				w.log.WarnContext(rctx, "release installation slot; it frees itself at expiry", logkey.JobID, job.ID,
					logkey.InstallationID, inst, "err", err)
			}
		}()
	}
	ctx, size := pipeline.WithScanSize(ctx)
	start := w.now()
	err := w.Worker.Work(ctx, job)
	class := metrics.SizeUnknown
	if n, ok := size.Files(); ok {
		class = metrics.SizeClass(n)
	}
	w.m.ScanFinished(w.now().Sub(start), scanOutcome(err), class)
	return err
}

// scanOutcome is the outcome label of a scan job's result.
func scanOutcome(err error) string {
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return metrics.OutcomeOK
	case errors.As(err, &cancel):
		return metrics.OutcomeCancelled
	}
	return metrics.OutcomeError
}

// jitter returns a delay uniformly in [base/2, 3·base/2).
func jitter(base time.Duration) func() time.Duration {
	return func() time.Duration { return base/2 + rand.N(base) }
}

// replicaName names this process in slot leases: host, pid and a random
// suffix (pids repeat across containers).
func replicaName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "picket"
	}
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), crand.Text()[:6])
}

// fair wraps the scan worker in the per-installation limit of cfg and
// the scan metrics, and starts reporting the queue's depth. It is what
// wire registers instead of the bare worker.
func (s *Server) fair(next river.Worker[jobs.ScanArgs]) *fairWorker {
	s.metrics.WatchQueue(queueCounter(s.st), jobs.ScanArgs{}.Kind())
	w := &fairWorker{Worker: next, max: s.cfg.InstallationConcurrency, ttl: slotTTL(s.cfg.JobTimeout), holder: replicaName(),
		snooze: jitter(snoozeBase), m: s.metrics, log: s.log.With("component", "fairness"), now: time.Now}
	if w.max > 0 {
		w.slots = s.st
	}
	return w
}

// queueMiddleware is the River middleware of every job: the queue wait.
func (s *Server) queueMiddleware() []rivertype.Middleware {
	return []rivertype.Middleware{&queueWait{m: s.metrics}}
}

// queueWait observes picket_queue_wait_seconds when a worker starts a
// job of any kind: River's attempted_at - scheduled_at. A job snoozed for
// fairness is observed each time it is picked.
type queueWait struct {
	river.MiddlewareDefaults
	m *metrics.Metrics
}

var _ rivertype.WorkerMiddleware = (*queueWait)(nil)

// Work implements rivertype.WorkerMiddleware.
func (q *queueWait) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	if job.AttemptedAt != nil {
		q.m.QueueWait(job.Kind, job.AttemptedAt.Sub(job.ScheduledAt))
	}
	return doInner(ctx)
}

// pipelineMetrics are the default pipeline's options that feed /metrics.
func (s *Server) pipelineMetrics() []pipeline.Option {
	return []pipeline.Option{pipeline.WithCacheObserver(s.metrics)}
}

// queueCounter counts River's unfinished jobs by state and kind, in SQL
// valid on SQLite and PostgreSQL alike (River v0.49 has no count API; its
// JobList pages through rows). The state filter uses River's index on
// state; finished jobs, which River keeps for days, are not read.
func queueCounter(st *store.Store) metrics.QueueCounter {
	states := metrics.QueueStates()
	q := `SELECT CAST(state AS TEXT), kind, COUNT(*) FROM river_job WHERE state IN (?` +
		strings.Repeat(", ?", len(states)-1) + `) GROUP BY state, kind`
	args := make([]any, len(states))
	for i, s := range states {
		args[i] = s
	}
	return func(ctx context.Context) ([]metrics.QueueCount, error) {
		rows, err := st.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("count queued jobs: %w", err)
		}
		defer rows.Close()
		var out []metrics.QueueCount
		for rows.Next() {
			var c metrics.QueueCount
			if err := rows.Scan(&c.State, &c.Kind, &c.N); err != nil {
				return nil, fmt.Errorf("count queued jobs: %w", err)
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count queued jobs: %w", err)
		}
		return out, nil
	}
}

// budgetOptions chooses the content-creation budget of the GitHub
// clients (budgetFor).
func (s *Server) budgetOptions() []gh.Option {
	if b := budgetFor(s.st); b != nil {
		return []gh.Option{gh.WithBudget(b)}
	}
	return nil
}

// budgetFor is the content budget for st's dialect, nil for gh's default.
//
// PostgreSQL: the database budget (store.Budget), since replicas share
// each installation's 80 requests a minute and only the database sees
// them all.
//
// SQLite: nil, gh's in-memory WindowBudget. SQLite serves one process,
// so memory sees every request and is exact; the database budget would
// cost a write transaction per content-creating request (BenchmarkBudgetReserve
// in app/store on 2 cores: 0.09-0.18 ms at load 2, 0.40 ms at load 21,
// against 0.2-1.4 us in memory) on the single SQLite writer that webhook
// acknowledgements wait for, and a busy scan makes dozens of such requests. Bookings are not kept across a
// restart either way; the restart takes longer than the window matters
// for, and GitHub's own 403 with Retry-After is still honoured.
func budgetFor(st *store.Store) gh.Budget {
	if st.Dialect == store.Postgres {
		return newDBBudget(st, gh.DefaultContentLimit, time.Minute, nil)
	}
	return nil
}
