package pipeline

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/picketsec/picket/scanners"
)

// LRU is an in-memory scanners.Cache bounded by entry count, the least
// recently used entry evicted first (hashicorp/golang-lru). It is safe
// for concurrent use. A SQL-backed cache shared by replicas replaces it
// behind the same interface.
type LRU struct {
	c *lru.Cache[scanners.CacheKey, scanners.CachedFile]
}

var _ scanners.Cache = (*LRU)(nil)

// NewLRU returns a cache of at most max entries (10,000 when not
// positive).
func NewLRU(max int) *LRU {
	if max <= 0 {
		max = 10000
	}
	c, err := lru.New[scanners.CacheKey, scanners.CachedFile](max)
	if err != nil {
		panic(err) // only for a size that is not positive
	}
	return &LRU{c: c}
}

// Get implements scanners.Cache.
func (c *LRU) Get(_ context.Context, k scanners.CacheKey) (scanners.CachedFile, bool) {
	return c.c.Get(k)
}

// Has reports whether k is cached without touching its recency.
func (c *LRU) Has(k scanners.CacheKey) bool { return c.c.Contains(k) }

// Put implements scanners.Cache.
func (c *LRU) Put(_ context.Context, k scanners.CacheKey, v scanners.CachedFile) { c.c.Add(k, v) }
