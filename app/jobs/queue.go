package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/store"
)

var pendingStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// Queue is a River client on the store's database.
type Queue struct {
	st     *store.Store
	client *river.Client[*sql.Tx]
}

// QueueOptions configures a Queue.
type QueueOptions struct {
	Workers      *river.Workers
	Concurrency  int           // jobs run at once by this process (default 4)
	PollInterval time.Duration // how often idle workers look for jobs (default 100ms)
	Logger       *slog.Logger
}

// NewQueue runs River's migrations and creates the client. Insert-only
// use (Workers nil) is allowed.
func NewQueue(ctx context.Context, st *store.Store, o QueueOptions) (*Queue, error) {
	if st.Dialect != store.SQLite {
		return nil, errors.New("queue: only SQLite is wired so far")
	}
	driver := riversqlite.New(st.DB)
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quiet(o.Logger)})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("queue: migrate: %w", err)
	}
	cfg := &river.Config{Logger: quiet(o.Logger), FetchPollInterval: o.PollInterval, FetchCooldown: o.PollInterval / 2}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval, cfg.FetchCooldown = 100*time.Millisecond, 50*time.Millisecond
	}
	if o.Workers != nil {
		n := o.Concurrency
		if n <= 0 {
			n = 4
		}
		cfg.Workers = o.Workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &Queue{st: st, client: client}, nil
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

// Client exposes the River client (for subscriptions in tests and the
// reconciler).
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// InsertTx enqueues args inside tx; inserted is false when a unique job
// with the same key is already queued or running.
func (q *Queue) InsertTx(ctx context.Context, tx store.Tx, args river.JobArgs) (inserted bool, err error) {
	stx, ok := tx.Driver().(*sql.Tx)
	if !ok {
		return false, fmt.Errorf("enqueue %s: transaction is %T, not *sql.Tx", args.Kind(), tx.Driver())
	}
	res, err := q.client.InsertTx(ctx, stx, args, nil)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
