package pipeline

import (
	"context"

	"github.com/picketsec/picket/app/internal/later"
	"github.com/picketsec/picket/app/publish"
)

// prepublished is what a scan readies for publishing while it fetches and
// scans: the pull request's publish lease, and under it the publishers'
// reads of what is already posted (publish.Prefetcher).
type prepublished struct {
	release func(context.Context) error
	fetched *publish.Prefetched
}

// prepublish takes t's publish lease and starts the publishers' reads, on
// a goroutine of its own: with the lease free, as it nearly always is,
// both are done long before the scan is. Waiting for a busy lease does
// not hold up the fetch either. done, on every way out of the scan,
// stops a wait for the lease or reads still running (a scan that failed
// must not wait minutes for a lease it will not use) and releases the
// lease if it was taken.
func (p *Pipeline) prepublish(ctx context.Context, t publish.Target) (ready *later.Value[prepublished], done func()) {
	ctx, cancel := context.WithCancel(ctx)
	ready = later.Go(func() (prepublished, error) {
		release, err := p.lockPR(ctx, t.Owner+"/"+t.Repo, t.PR)
		if err != nil {
			return prepublished{}, err
		}
		var fetched *publish.Prefetched
		if pf, ok := p.pub.(publish.Prefetcher); ok {
			fetched = pf.Prefetch(ctx, t)
		}
		return prepublished{release: release, fetched: fetched}, nil
	})
	return ready, func() {
		cancel()
		pp, err := ready.Wait()
		if err != nil {
			return
		}
		pp.fetched.Wait()
		if rerr := pp.release(context.WithoutCancel(ctx)); rerr != nil {
			p.log.WarnContext(ctx, "release the publish lease; it frees itself at expiry", "err", rerr)
		}
	}
}
