package reconcile

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DefaultInterval is how often the redeliverer runs (PICKET_RECONCILE_INTERVAL).
const DefaultInterval = 5 * time.Minute

// DefaultSweepInterval is how often the sweep runs after the one at
// start-up.
const DefaultSweepInterval = 24 * time.Hour

// pending are the states in which a second reconcile job of the same
// kind is not inserted: a run that outlasts its interval is not stacked.
var pending = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// DeliveriesArgs is one run of the Redeliverer.
type DeliveriesArgs struct{}

// Kind implements river.JobArgs.
func (DeliveriesArgs) Kind() string { return "picket_reconcile_deliveries" }

// InsertOpts keeps one run queued at a time and retries a failed run a
// few times; the next period's run picks up anyway.
func (DeliveriesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: pending}}
}

// SweepArgs is one run of the Sweeper.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "picket_reconcile_sweep" }

// InsertOpts keeps one sweep queued at a time.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: pending}}
}

// DeliveriesWorker runs DeliveriesArgs jobs.
type DeliveriesWorker struct {
	river.WorkerDefaults[DeliveriesArgs]
	R *Redeliverer
}

// Work implements river.Worker.
func (w *DeliveriesWorker) Work(ctx context.Context, _ *river.Job[DeliveriesArgs]) error {
	res, err := w.R.Run(ctx)
	if w.R.Log != nil && (res.Redelivered > 0 || res.GivenUp > 0 || res.Refused > 0 || err != nil) {
		w.R.Log.InfoContext(ctx, "reconciled webhook deliveries", "listed", res.Listed, "failed", res.Failed,
			"redelivered", res.Redelivered, "recorded", res.Recorded, "given_up", res.GivenUp, "refused", res.Refused,
			"pending", res.Pending, "err", err)
	}
	return err
}

// Timeout allows listing three days of deliveries.
func (w *DeliveriesWorker) Timeout(*river.Job[DeliveriesArgs]) time.Duration { return 5 * time.Minute }

// SweepWorker runs SweepArgs jobs.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	S *Sweeper
}

// Work implements river.Worker.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.S.Run(ctx)
	return err
}

// Timeout allows one read per pull request up to MaxPRs, with backoff.
func (w *SweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return 15 * time.Minute }

// Register adds the two workers to workers.
func Register(workers *river.Workers, r *Redeliverer, s *Sweeper) {
	river.AddWorker(workers, &DeliveriesWorker{R: r})
	river.AddWorker(workers, &SweepWorker{S: s})
}

// PeriodicJobs are the reconciler's schedules for River's leader: the
// redeliverer every interval and the sweep every sweepInterval (default
// DefaultSweepInterval), both also once when a leader starts. An interval
// of zero or less disables both (nil).
func PeriodicJobs(interval, sweepInterval time.Duration) []*river.PeriodicJob {
	if interval <= 0 {
		return nil
	}
	if sweepInterval <= 0 {
		sweepInterval = DefaultSweepInterval
	}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) { return DeliveriesArgs{}, nil },
			&river.PeriodicJobOpts{ID: "picket_reconcile_deliveries", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(sweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
			&river.PeriodicJobOpts{ID: "picket_reconcile_sweep", RunOnStart: true}),
	}
}
