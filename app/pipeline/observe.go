package pipeline

import (
	"context"
	"sync/atomic"

	"github.com/picketsec/picket/scanners"
)

// CacheObserver is told of every result-cache look-up the engine makes
// (app/metrics.Metrics implements it). It must be safe for concurrent use
// and must not block.
type CacheObserver interface {
	CacheLookup(layer string, hit bool)
}

// Layerer is implemented by a cache that names its layer for the
// look-up metrics ("memory", "database"). A cache that does not is
// counted as "other"; the LRU is "memory".
type Layerer interface {
	CacheLayer() string
}

// CacheLayer implements Layerer.
func (c *LRU) CacheLayer() string { return "memory" }

// WithCacheObserver counts the engine's look-ups of the result cache. The
// pipeline's own look-ups (deciding which blobs to fetch) are not
// counted, so each file scanned is one look-up.
func WithCacheObserver(o CacheObserver) Option { return func(p *Pipeline) { p.cacheObs = o } }

// engineCache is the cache the engine uses: p.cache, counted when an
// observer is set.
func (p *Pipeline) engineCache() scanners.Cache {
	if p.cacheObs == nil {
		return p.cache
	}
	layer := "other"
	if l, ok := p.cache.(Layerer); ok {
		layer = l.CacheLayer()
	}
	return CountCache(p.cache, layer, p.cacheObs)
}

// CountCache wraps c so that every Get is reported to o under layer. A
// tiered cache wraps each tier: the inner tier then sees only the outer
// tier's misses.
func CountCache(c scanners.Cache, layer string, o CacheObserver) scanners.Cache {
	return countingCache{Cache: c, layer: layer, o: o}
}

type countingCache struct {
	scanners.Cache
	layer string
	o     CacheObserver
}

// Get implements scanners.Cache.
func (c countingCache) Get(ctx context.Context, k scanners.CacheKey) (scanners.CachedFile, bool) {
	v, ok := c.Cache.Get(ctx, k)
	c.o.CacheLookup(c.layer, ok)
	return v, ok
}

// ScanSize is filled by Scan with the number of files the pull request
// changes, for a caller that labels its metrics by size (app/server).
type ScanSize struct {
	files atomic.Int64 // files + 1; 0 until known
}

// Files returns the number of files changed and whether Scan got as far
// as listing them.
func (s *ScanSize) Files() (int, bool) {
	n := s.files.Load()
	return int(n - 1), n > 0
}

type sizeKey struct{}

// WithScanSize returns a context for Scan (or a Worker's Work) and the
// ScanSize that Scan fills in through it.
func WithScanSize(ctx context.Context) (context.Context, *ScanSize) {
	s := &ScanSize{}
	return context.WithValue(ctx, sizeKey{}, s), s
}

// noteFiles records the number of files changed in ctx's ScanSize, if any.
func noteFiles(ctx context.Context, n int) {
	if s, ok := ctx.Value(sizeKey{}).(*ScanSize); ok {
		s.files.Store(int64(n) + 1)
	}
}
