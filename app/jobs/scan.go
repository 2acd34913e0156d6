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
	switch {
	case known && head == "":
		return river.JobCancel(fmt.Errorf("%s#%d was closed", a.Repo, a.PR))
	case known && head != a.HeadSHA:
		return river.JobCancel(fmt.Errorf("%s#%d: head %.12s superseded by %.12s", a.Repo, a.PR, a.HeadSHA, head))
	}
	return w.Pipeline.Scan(ctx, a)
}
