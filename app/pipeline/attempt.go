package pipeline

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/jobs"
)

type attemptKey struct{}

type attempt struct {
	n, max int
	job    int64
}

// WithAttempt records in ctx that this is attempt n of max of the job,
// so Scan can complete the check run on the last attempt instead of
// leaving it for a retry that will never come. River v0.49 has no
// JobFromContext, hence this.
func WithAttempt(ctx context.Context, n, max int) context.Context {
	return context.WithValue(ctx, attemptKey{}, attempt{n: n, max: max})
}

// lastAttempt reports whether ctx carries the job's last attempt. Without
// WithAttempt (a direct call) every attempt is the last: nobody retries.
func lastAttempt(ctx context.Context) bool {
	a, ok := ctx.Value(attemptKey{}).(attempt)
	return !ok || a.max > 0 && a.n >= a.max
}

// Worker is jobs.ScanWorker with the job's attempt put in the context
// for Scan. Register it instead of a bare jobs.ScanWorker.
type Worker struct {
	jobs.ScanWorker
}

// Work implements river.Worker.
func (w *Worker) Work(ctx context.Context, job *river.Job[jobs.ScanArgs]) error {
	return w.ScanWorker.Work(context.WithValue(ctx, attemptKey{}, attempt{n: job.Attempt, max: job.MaxAttempts, job: job.ID}), job)
}
