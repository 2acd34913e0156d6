package reconcile

import (
	"context"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/store"
)

// Retention is how far back GitHub lists webhook deliveries and accepts
// redeliveries: "the past 3 days"
// (docs.github.com/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks).
const Retention = 72 * time.Hour

// Clients makes GitHub clients: the app's (JWT: deliveries, installations)
// and an installation's. *gh.ClientFactory implements it.
type Clients interface {
	App(ctx context.Context) (*github.Client, error)
	Installation(ctx context.Context, id int64) (*github.Client, error)
}

// Enqueuer inserts a job inside a store transaction; inserted is false
// when a unique job with the same key is already queued or running.
// *jobs.Queue implements it.
type Enqueuer interface {
	InsertTx(ctx context.Context, tx store.Tx, args river.JobArgs) (inserted bool, err error)
}

// now returns f() or time.Now().
func now(f func() time.Time) time.Time {
	if f != nil {
		return f()
	}
	return time.Now()
}
