package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// Plan is what a delivery means: jobs to enqueue and pull-request heads
// to record. Recording a newer head supersedes work queued for older ones.
type Plan struct {
	Jobs          []river.JobArgs
	Heads         []Head
	Installations []store.InstallationEvent // installation and installation_repositories events
}

// Head is the newest head of a pull request; an empty SHA means closed.
type Head struct {
	Repo string
	PR   int
	SHA  string
}

// Router decides what a delivery means. It must not call GitHub. An error
// wrapping webhook.ErrInvalidPayload rejects the delivery with 400.
type Router func(ctx context.Context, d webhook.Delivery) (Plan, error)

// Recorder implements webhook.Recorder: in one transaction it records the
// delivery by id (a redelivery does nothing), records new heads and
// enqueues the plan's jobs.
type Recorder struct {
	Store *store.Store
	Queue *Queue
	Route Router
}

var _ webhook.Recorder = (*Recorder)(nil)

// Record implements webhook.Recorder.
func (r *Recorder) Record(ctx context.Context, d webhook.Delivery) (webhook.Outcome, error) {
	plan, err := r.Route(ctx, d)
	if err != nil {
		return 0, fmt.Errorf("route %s delivery %s: %w", d.Event, d.ID, err)
	}
	out := webhook.Accepted
	woken := false
	err = r.Store.InTx(ctx, func(tx store.Tx) error {
		fresh, err := r.Store.InsertDelivery(ctx, tx, store.DeliveryRow{ID: d.ID, Event: d.Event, Action: d.Action, InstallationID: d.InstallationID, ReceivedAt: d.ReceivedAt})
		if err != nil {
			return err
		}
		if !fresh {
			out = webhook.Duplicate
			return nil
		}
		if len(plan.Jobs) == 0 && len(plan.Heads) == 0 && len(plan.Installations) == 0 {
			out = webhook.Ignored
		}
		for _, h := range plan.Heads {
			if err := r.Store.SetHead(ctx, tx, h.Repo, h.PR, h.SHA); err != nil {
				return err
			}
		}
		for _, in := range plan.Installations {
			if err := r.Store.RecordInstallation(ctx, tx, in); err != nil {
				return err
			}
		}
		inserted := 0
		for _, j := range plan.Jobs {
			ok, err := r.Queue.InsertTx(ctx, tx, j)
			if err != nil {
				return err
			}
			if ok {
				inserted++
			}
		}
		woken = inserted > 0
		if len(plan.Jobs) > 0 && inserted == 0 {
			out = webhook.Coalesced
		}
		return nil
	})
	if err == nil && woken {
		r.Queue.Wake(ctx)
	}
	return out, err
}
