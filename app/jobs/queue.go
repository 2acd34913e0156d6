package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/store"
)

var pendingStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// Defaults of QueueOptions.
const (
	DefaultJobTimeout = 10 * time.Minute
	// DefaultRescueMargin is added to the job timeout for the default
	// RescueStuckJobsAfter.
	DefaultRescueMargin = time.Minute
)

// maxFetchCooldown bounds the fetch cooldown derived from the poll
// interval.
const maxFetchCooldown = 50 * time.Millisecond

// sqliteFetchCooldown is the least time between two fetches of the
// workers on SQLite, where Wake triggers a fetch after each webhook that
// inserted a job: it bounds those fetches (each a write) to 50 a second
// under a burst of deliveries.
const sqliteFetchCooldown = 20 * time.Millisecond

// lockRiverMigrations is the advisory lock River's migrations hold on
// PostgreSQL ("riverm" in ASCII), distinct from store.LockMigrations.
const lockRiverMigrations int64 = 0x72697665726d

// riverClient is what Queue uses of a River client, the same on both
// drivers (*river.Client[*sql.Tx] and *river.Client[pgx.Tx]).
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	PeriodicJobs() *river.PeriodicJobBundle
}

// Queue is a River client on the store's database, with River's SQLite
// driver or its pgx (PostgreSQL) driver after the store's dialect.
type Queue struct {
	st     *store.Store
	client riverClient
	// insertTx inserts inside a store.Tx, unwrapping its driver
	// transaction to the client's type.
	insertTx func(ctx context.Context, tx store.Tx, args river.JobArgs) (*rivertype.JobInsertResult, error)
	// pilot holds River's wake hook on SQLite (wake.go); nil on PostgreSQL.
	pilot *wakePilot
}

// QueueOptions configures a Queue.
type QueueOptions struct {
	Workers      *river.Workers
	Concurrency  int           // jobs run at once by this process (default 4)
	PollInterval time.Duration // how often idle workers look for jobs (default 100ms)
	// JobTimeout cancels a job's context after this long (default
	// DefaultJobTimeout).
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before the
	// queue's leader (any replica) makes it retryable: how soon the job of
	// a replica killed mid-scan runs again elsewhere. It must exceed
	// JobTimeout; the default is JobTimeout + DefaultRescueMargin.
	RescueStuckJobsAfter time.Duration
	// PeriodicJobs are enqueued on their schedules by the leader (one
	// replica at a time). They need Workers.
	PeriodicJobs []*river.PeriodicJob
	// Middleware wraps every job's work (River's worker middleware), e.g.
	// to observe queue wait for every kind of job.
	Middleware []rivertype.Middleware
	Logger     *slog.Logger
}

// NewQueue runs River's migrations and creates the client. Insert-only
// use (Workers nil) is allowed.
func NewQueue(ctx context.Context, st *store.Store, o QueueOptions) (*Queue, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, err
	}
	switch st.Dialect {
	case store.SQLite:
		driver, pilot := newWakingSQLite(st.DB)
		// Woken after every commit that inserts a job (Wake), the
		// workers may fetch sooner after their last fetch than the
		// PostgreSQL set-up's cooldown allows.
		cfg.FetchCooldown = min(cfg.FetchCooldown, sqliteFetchCooldown)
		q, err := newQueue(ctx, st, driver, cfg, o.Logger)
		if err == nil {
			q.pilot = pilot
		}
		return q, err
	case store.Postgres:
		return newQueue(ctx, st, riverpgxv5.New(st.Pool()), cfg, o.Logger)
	}
	return nil, fmt.Errorf("queue: unknown dialect %v", st.Dialect)
}

func (o QueueOptions) config() (*river.Config, error) {
	// The cooldown is the least time between two fetches, and on
	// PostgreSQL between two insert notifications of a queue: half the
	// poll interval, at most maxFetchCooldown, so that a long poll
	// interval does not also silence the notifications.
	cfg := &river.Config{Logger: quiet(o.Logger), FetchPollInterval: o.PollInterval, FetchCooldown: min(o.PollInterval/2, maxFetchCooldown),
		JobTimeout: o.JobTimeout, RescueStuckJobsAfter: o.RescueStuckJobsAfter, PeriodicJobs: o.PeriodicJobs,
		Middleware: o.Middleware}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval, cfg.FetchCooldown = 100*time.Millisecond, 50*time.Millisecond
	}
	if cfg.JobTimeout == 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.RescueStuckJobsAfter == 0 && cfg.JobTimeout > 0 {
		cfg.RescueStuckJobsAfter = cfg.JobTimeout + DefaultRescueMargin
	}
	if cfg.JobTimeout > 0 && cfg.RescueStuckJobsAfter <= cfg.JobTimeout {
		return nil, fmt.Errorf("queue: rescue after %s must exceed the job timeout %s, or a running job would be run twice",
			cfg.RescueStuckJobsAfter, cfg.JobTimeout)
	}
	if o.Workers != nil {
		n := o.Concurrency
		if n <= 0 {
			n = 4
		}
		cfg.Workers = o.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
	} else if len(o.PeriodicJobs) > 0 {
		return nil, errors.New("queue: periodic jobs need workers")
	}
	return cfg, nil
}

// newQueue is NewQueue for one driver: TTx is *sql.Tx or pgx.Tx, the type
// store.Tx.Driver returns on the same dialect.
func newQueue[TTx any](ctx context.Context, st *store.Store, driver riverdriver.Driver[TTx], cfg *river.Config, log *slog.Logger) (*Queue, error) {
	if err := migrateRiver(ctx, st, driver, log); err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &Queue{st: st, client: client,
		insertTx: func(ctx context.Context, tx store.Tx, args river.JobArgs) (*rivertype.JobInsertResult, error) {
			dtx, ok := tx.Driver().(TTx)
			if !ok {
				var want TTx
				return nil, fmt.Errorf("transaction is %T, not %T", tx.Driver(), want)
			}
			return client.InsertTx(ctx, dtx, args, nil)
		}}, nil
}

// migrateRiver applies River's migrations. River's migrator takes no
// lock of its own, so replicas starting at once could race to create the
// same tables: on SQLite the migrations run in one transaction, which
// holds the database's write lock from its start; on PostgreSQL (where
// one of River's migrations adds an enum value and then uses it, which a
// single transaction may not do) a session advisory lock, held on a
// connection of its own, serialises the migrator's transactions.
func migrateRiver[TTx any](ctx context.Context, st *store.Store, driver riverdriver.Driver[TTx], log *slog.Logger) error {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if st.Dialect == store.Postgres {
		err = withSessionLock(ctx, st, lockRiverMigrations, func() error {
			_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
			return err
		})
	} else {
		err = st.InTx(ctx, func(tx store.Tx) error {
			dtx, ok := tx.Driver().(TTx)
			if !ok {
				return fmt.Errorf("transaction is %T", tx.Driver())
			}
			_, err := migrator.MigrateTx(ctx, dtx, rivermigrate.DirectionUp, nil)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	return nil
}

// withSessionLock runs fn holding PostgreSQL's session advisory lock key
// on a pool connection set aside for it.
func withSessionLock(ctx context.Context, st *store.Store, key int64, fn func() error) error {
	conn, err := st.Pool().Acquire(ctx)
	if err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	fnErr := fn()
	if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key); err != nil {
		// A connection still holding the lock must not go back to the pool.
		conn.Conn().Close(context.WithoutCancel(ctx))
		return errors.Join(fnErr, fmt.Errorf("unlock %d: %w", key, err))
	}
	return fnErr
}

func quiet(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Start starts working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets running jobs finish until ctx ends, then returns.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// StopAndCancel cancels running jobs' contexts and waits for them to
// return until ctx ends; River retries them later.
func (q *Queue) StopAndCancel(ctx context.Context) error { return q.client.StopAndCancel(ctx) }

// Subscribe returns a channel of this process's job events of the given
// kinds, and a function to end the subscription.
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return q.client.Subscribe(kinds...)
}

// PeriodicJobs is the client's periodic job bundle, to add or remove
// periodic jobs after NewQueue (QueueOptions.PeriodicJobs sets them at
// the start).
func (q *Queue) PeriodicJobs() *river.PeriodicJobBundle { return q.client.PeriodicJobs() }

// Insert enqueues args outside any transaction; inserted is false when a
// unique job with the same key is already queued or running.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs) (inserted bool, err error) {
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// InsertTx enqueues args inside tx, so the job exists if and only if tx
// commits; inserted is false when a unique job with the same key is
// already queued or running.
func (q *Queue) InsertTx(ctx context.Context, tx store.Tx, args river.JobArgs) (inserted bool, err error) {
	res, err := q.insertTx(ctx, tx, args)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// the two instantiations NewQueue uses.
var (
	_ riverClient = (*river.Client[*sql.Tx])(nil)
	_ riverClient = (*river.Client[pgx.Tx])(nil)
)

// RescueOrphans makes the jobs the database records as running available
// again at once, and returns how many. Only for a database that one
// process owns (SQLite, with the server's lock file held): any running
// job there belongs to a process that is gone. On a shared database
// River's rescuer does this after RescueStuckJobsAfter, since a running
// job may belong to a live replica. Jobs at their last attempt are left
// to the rescuer, which discards them.
func (q *Queue) RescueOrphans(ctx context.Context) (int64, error) {
	if q.st.Dialect != store.SQLite {
		return 0, errors.New("rescue orphaned jobs: only a SQLite database is owned by one process")
	}
	n, err := q.st.Exec(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running' AND attempt < max_attempts`)
	if err != nil {
		return 0, fmt.Errorf("rescue orphaned jobs: %w", err)
	}
	return n, nil
}
