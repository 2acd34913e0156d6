package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/store"
)

// Pipeline does one scan: fetch, run the engine, publish. Its errors are
// retried by River with backoff; it must complete the check run itself
// when it gives up (see ScanWorker).
type Pipeline interface {
	Scan(ctx context.Context, args ScanArgs) error
}

// Superseder is implemented by a Pipeline that can close the check run an
// earlier attempt of a job opened, when the job is cancelled unrun.
type Superseder interface {
	Superseded(ctx context.Context, args ScanArgs, why string) error
}

// ScanWorker runs ScanArgs jobs. A job whose head is no longer the
// pull request's newest (a later push, or the pull request closed) is
// cancelled instead of run.
type ScanWorker struct {
	river.WorkerDefaults[ScanArgs]
	Store    *store.Store
	Pipeline Pipeline
}

// Work implements river.Worker.
func (w *ScanWorker) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	a := job.Args
	head, known, err := w.Store.Head(ctx, a.Repo, a.PR)
	if err != nil {
		return err
	}
	var why error
	switch {
	case known && head == "":
		why = fmt.Errorf("%s#%d was closed", a.Repo, a.PR)
	case known && head != a.HeadSHA:
		why = fmt.Errorf("%s#%d: head %.12s superseded by %.12s", a.Repo, a.PR, a.HeadSHA, head)
	default:
		return w.Pipeline.Scan(ctx, a)
	}
	// An earlier attempt (of a replica that died) may have opened the
	// head's check run: close it rather than leave it in progress. Its
	// failure is retried like any transient error.
	if s, ok := w.Pipeline.(Superseder); ok {
		if err := s.Superseded(ctx, a, why.Error()); err != nil {
			return fmt.Errorf("close the check run of a cancelled scan: %w", err)
		}
	}
	return river.JobCancel(why)
}
