package server

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/store"
)

// Retention (store.Prune): once a day, and once when a replica becomes
// River's leader, the leader deletes the rows nothing needs any more, so
// that years of webhooks do not grow the database without bound.

// EnvRetentionDays is how many days a closed pull request's rows and a
// head's check-run id are kept; 0 disables the pruning.
const EnvRetentionDays = "PICKET_RETENTION_DAYS"

// DefaultRetentionDays is EnvRetentionDays' default.
const DefaultRetentionDays = 90

// maxRetentionDays keeps days × 24h inside a time.Duration (a century).
const maxRetentionDays = 36500

// RetentionInterval is how often the leader prunes after the run at its
// start.
const RetentionInterval = 24 * time.Hour

// retentionTimeout bounds one run: a first run on a database that has
// grown for years deletes millions of rows; what it leaves, the next
// run deletes.
const retentionTimeout = 30 * time.Minute

// loadRetention reads EnvRetentionDays into c (default
// DefaultRetentionDays); Config.Validate checks the range.
func loadRetention(c *Config, get func(string) (string, bool)) error {
	c.RetentionDays = DefaultRetentionDays
	if v, ok := get(EnvRetentionDays); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%s: not a number of days (e.g. 90, or 0 to keep everything)", EnvRetentionDays)
		}
		c.RetentionDays = n
	}
	return nil // Validate checks the range
}

// validateRetention is Validate's check of RetentionDays.
func (c Config) validateRetention() error {
	if c.RetentionDays < 0 || c.RetentionDays > maxRetentionDays {
		return fmt.Errorf("%s: want 1 to %d days, or 0 to keep everything", EnvRetentionDays, maxRetentionDays)
	}
	return nil
}

// retentionPolicy is what a run deletes under days (none for 0): closed
// pull requests and check-run ids after days, deliveries after
// store.DefaultDeliveryRetention whatever days says (shorter would let a
// late redelivery through twice; longer is of no use).
func retentionPolicy(days int) store.RetentionPolicy {
	if days <= 0 {
		return store.RetentionPolicy{}
	}
	keep := time.Duration(days) * 24 * time.Hour
	return store.RetentionPolicy{Deliveries: store.DefaultDeliveryRetention, ClosedPRs: keep, CheckRuns: keep}
}

// retentionArgs is one run of store.Prune.
type retentionArgs struct{}

// Kind implements river.JobArgs.
func (retentionArgs) Kind() string { return "picket_retention" }

// InsertOpts keeps one run queued at a time (a run that outlasts the
// interval is not stacked) and retries a failed run a few times; the
// next day's run picks up anyway.
func (retentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// retentionWorker runs retentionArgs jobs and logs what they deleted.
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	st     *store.Store
	policy store.RetentionPolicy
	log    *slog.Logger
	now    func() time.Time
	m      *metrics.Metrics // nil: no metrics
}

// Work implements river.Worker.
func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	start := w.now()
	n, err := w.st.Prune(ctx, start, w.policy)
	args := []any{"deliveries", n.Deliveries, "pr_heads", n.PRHeads, "comments", n.Comments,
		"check_runs", n.CheckRuns, "duration_ms", time.Since(start).Milliseconds()}
	// A job left over from before retention was disabled is not a run:
	// counting it would start a last-success time that then ages into
	// an alert. Rows deleted before an error are counted: they are gone.
	if w.m != nil && w.policy.Enabled() {
		w.m.Pruned(metrics.TableDeliveries, n.Deliveries)
		w.m.Pruned(metrics.TablePRHeads, n.PRHeads)
		w.m.Pruned(metrics.TableComments, n.Comments)
		w.m.Pruned(metrics.TableCheckRuns, n.CheckRuns)
		w.m.RetentionRun(err, w.now())
	}
	if err != nil {
		w.log.WarnContext(ctx, "retention: pruning stopped; the next run goes on", append(args, "err", err)...)
		return err
	}
	w.log.InfoContext(ctx, "retention: old rows deleted", args...)
	return nil
}

// Timeout implements river.Worker.
func (w *retentionWorker) Timeout(*river.Job[retentionArgs]) time.Duration { return retentionTimeout }

// addRetentionWorker registers the retention worker. It is registered
// even when PICKET_RETENTION_DAYS is 0, so that a job a previous
// configuration queued still runs (and deletes nothing).
func (s *Server) addRetentionWorker(workers *river.Workers) {
	river.AddWorker(workers, &retentionWorker{st: s.st, policy: retentionPolicy(s.cfg.RetentionDays),
		log: s.log.With("component", "retention"), now: time.Now, m: s.metrics})
}

// retentionJobs is the retention's periodic job for the queue, whose
// leader alone enqueues it (with many replicas, one prunes): every
// RetentionInterval and once when the leader starts. None when
// PICKET_RETENTION_DAYS is 0.
func (s *Server) retentionJobs() []*river.PeriodicJob {
	if s.cfg.RetentionDays <= 0 {
		s.log.Info("retention disabled: old deliveries and closed pull requests are kept forever", "env", EnvRetentionDays)
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(RetentionInterval),
		func() (river.JobArgs, *river.InsertOpts) { return retentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "picket_retention", RunOnStart: true})}
}
