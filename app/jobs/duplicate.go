package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// InsertOrRunning enqueues args outside any transaction like Insert and
// also says whether the equal unique job that made the insert a no-op is
// running right now. A caller that changed what the job reads (an ignore
// stored for the next scan) needs to know: a queued duplicate will see
// the change, a running one may already have read past it.
func (q *Queue) InsertOrRunning(ctx context.Context, args river.JobArgs) (inserted, running bool, err error) {
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return false, false, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	if !res.UniqueSkippedAsDuplicate {
		return true, false, nil
	}
	return false, res.Job != nil && res.Job.State == rivertype.JobStateRunning, nil
}
