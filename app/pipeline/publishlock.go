package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/picketsec/picket/app/gh"
)

// PublishLock takes a pull request's publish lease, shared by every
// replica, blocking until it is free or ctx ends; release gives it back.
// Two scans of successive heads of one pull request then never publish
// at once, so the second always sees the comments the first stored.
type PublishLock func(ctx context.Context, repo string, pr int) (release func(context.Context) error, err error)

// WithPublishLock serialises publishing per pull request with l.
func WithPublishLock(l PublishLock) Option { return func(p *Pipeline) { p.lock = l } }

// lockWait bounds the wait for a pull request's publish lease; after it
// the job is retried by River (a holder that died keeps the lease until
// its expiry).
const lockWait = 2 * time.Minute

// lockPR takes t's publish lease, or returns a retryable error.
func (p *Pipeline) lockPR(ctx context.Context, repo string, pr int) (func(context.Context) error, error) {
	if p.lock == nil {
		return func(context.Context) error { return nil }, nil
	}
	lctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	release, err := p.lock(lctx, repo, pr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &gh.Error{Kind: gh.Transient, Op: "publish lease", Err: fmt.Errorf("%s#%d: %w", repo, pr, err)}
	}
	return release, nil
}

// SlotLock is a PublishLock over installation-style slot leases (one
// slot, store.Store.AcquireSlot), polling every poll. key maps a pull
// request to the lease's key.
func SlotLock(acquire func(ctx context.Context, key int64, holder string, max int, ttl time.Duration) (func(context.Context) error, bool, error),
	key func(repo string, pr int) int64, holder string, ttl, poll time.Duration) PublishLock {
	return func(ctx context.Context, repo string, pr int) (func(context.Context) error, error) {
		for {
			release, ok, err := acquire(ctx, key(repo, pr), holder, 1, ttl)
			if err != nil {
				return nil, err
			}
			if ok {
				return release, nil
			}
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("publish lease held by another scan: %w", ctx.Err())
			case <-time.After(poll):
			}
		}
	}
}
