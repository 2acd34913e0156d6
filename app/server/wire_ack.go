package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// groupCommit is the webhook recorder the server wires: it routes each
// delivery on the request's goroutine, then records the deliveries that
// arrive while a transaction is in flight together, in the next one
// (group commit). SQLite has one writer and the store one connection, so
// recording each delivery in its own transaction made every request wait
// for the connection behind the others and behind River's own writes;
// at 200 deliveries a second that wait, not the work, set the p99 (see
// docs/BENCHMARKS.md). One committer at a time also means webhook
// transactions never queue behind each other for the connection.
//
// A batch whose transaction fails is retried one delivery per
// transaction, so one bad delivery cannot fail the others.
type groupCommit struct {
	rec *jobs.Recorder
	max int // deliveries per transaction

	mu      sync.Mutex
	waiting []*pendingDelivery
	busy    bool // a committer goroutine is running

	onCommit func(n int) // tests: called with each transaction's size
}

type pendingDelivery struct {
	ctx  context.Context
	d    webhook.Delivery
	plan jobs.Plan
	out  webhook.Outcome
	err  error
	done chan struct{}
}

// commitTimeout bounds one batch's transaction; a request gives up
// earlier if its own context ends.
const commitTimeout = 30 * time.Second

func newGroupCommit(rec *jobs.Recorder) *groupCommit { return &groupCommit{rec: rec, max: 64} }

var _ webhook.Recorder = (*groupCommit)(nil)

// Record implements webhook.Recorder.
func (g *groupCommit) Record(ctx context.Context, d webhook.Delivery) (webhook.Outcome, error) {
	plan, err := g.rec.Route(ctx, d)
	if err != nil {
		return 0, fmt.Errorf("route %s delivery %s: %w", d.Event, d.ID, err)
	}
	p := &pendingDelivery{ctx: ctx, d: d, plan: plan, done: make(chan struct{})}
	g.mu.Lock()
	g.waiting = append(g.waiting, p)
	start := !g.busy
	g.busy = true
	g.mu.Unlock()
	if start {
		go g.drain()
	}
	select {
	case <-p.done:
		return p.out, p.err
	case <-ctx.Done():
		// The delivery may still be recorded; GitHub's redelivery of
		// it is then a duplicate, which is what idempotency is for.
		return 0, fmt.Errorf("record %s delivery %s: %w", d.Event, d.ID, ctx.Err())
	}
}

// drain commits batches until nothing waits, then ends.
func (g *groupCommit) drain() {
	for {
		g.mu.Lock()
		n := min(len(g.waiting), g.max)
		if n == 0 {
			g.busy = false
			g.mu.Unlock()
			return
		}
		batch := g.waiting[:n:n]
		g.waiting = g.waiting[n:]
		g.mu.Unlock()
		g.commit(batch)
	}
}

// commit records batch in one transaction, or each delivery in its own
// when that fails.
func (g *groupCommit) commit(batch []*pendingDelivery) {
	defer func() {
		for _, p := range batch {
			close(p.done)
		}
	}()
	if g.onCommit != nil {
		g.onCommit(len(batch))
	}
	if len(batch) > 1 {
		// The batch outlives any one request; its values (loggers) are
		// the first request's.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), commitTimeout)
		outs := make([]webhook.Outcome, len(batch))
		err := g.rec.Store.InTx(ctx, func(tx store.Tx) error {
			for i, p := range batch {
				o, err := g.rec.RecordTx(ctx, tx, p.d, p.plan)
				if err != nil {
					return fmt.Errorf("record %s delivery %s: %w", p.d.Event, p.d.ID, err)
				}
				outs[i] = o
			}
			return nil
		})
		cancel()
		if err == nil {
			for i, p := range batch {
				p.out = outs[i]
			}
			return
		}
	}
	for _, p := range batch {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), commitTimeout)
		p.err = g.rec.Store.InTx(ctx, func(tx store.Tx) error {
			var err error
			p.out, err = g.rec.RecordTx(ctx, tx, p.d, p.plan)
			return err
		})
		cancel()
	}
}
