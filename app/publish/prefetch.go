package publish

import (
	"context"

	"github.com/picketsec/picket/app/internal/later"
)

// Prefetcher is implemented by publishers that read GitHub before they
// can publish: Reviews reads the pull request's earlier review comments
// and reviews. Prefetch starts those reads in the background and returns
// them, to be handed to Publish in Options.Prefetched, so that they share
// their round trips with the scan instead of following it.
//
// Call Prefetch only while holding the pull request's publish lease, the
// one Publish will run under: no other scan of the pull request can then
// post in between, and what was read is still what Picket has posted
// when Publish uses it. People may still reply in Picket's threads
// meanwhile; the review publisher reads the threads afresh before it
// resolves one (resolveGone), so a thread someone answered after the
// prefetch is still left alone.
type Prefetcher interface {
	Prefetch(ctx context.Context, t Target) *Prefetched
}

// Prefetched holds reads in progress or done; nil holds none. It is
// complete when Prefetch returns, and only read after that, so it needs
// no lock.
type Prefetched struct {
	t      Target
	posted map[*Reviews]*later.Value[*posted]
}

// Wait blocks until every read has ended, for a caller that gives up the
// lease without publishing.
func (p *Prefetched) Wait() {
	if p == nil {
		return
	}
	for _, r := range p.posted {
		_, _ = r.Wait()
	}
}

// merge adds o's reads to p's and returns p (or o when p is nil).
func (p *Prefetched) merge(o *Prefetched) *Prefetched {
	if p == nil {
		return o
	}
	if o == nil {
		return p
	}
	for rv, r := range o.posted {
		p.posted[rv] = r
	}
	return p
}

// postedFor returns what rv prefetched for t, or nil when it did not.
func (p *Prefetched) postedFor(rv *Reviews, t Target) *later.Value[*posted] {
	if p == nil || p.t != t {
		return nil
	}
	return p.posted[rv]
}

// Prefetch implements Prefetcher: it reads the pull request's review
// comments and reviews (loadPosted).
func (rv *Reviews) Prefetch(ctx context.Context, t Target) *Prefetched {
	r := later.Go(func() (*posted, error) {
		gh, err := rv.clients.Installation(ctx, t.InstallationID)
		if err != nil {
			return nil, err
		}
		return loadPosted(ctx, gh, t, rv.bot)
	})
	return &Prefetched{t: t, posted: map[*Reviews]*later.Value[*posted]{rv: r}}
}

// Prefetch implements Prefetcher for the members that do.
func (m Multi) Prefetch(ctx context.Context, t Target) *Prefetched {
	var out *Prefetched
	for _, p := range m {
		if pf, ok := p.(Prefetcher); ok {
			out = out.merge(pf.Prefetch(ctx, t))
		}
	}
	return out
}
