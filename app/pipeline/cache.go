package pipeline

import (
	"container/list"
	"context"
	"sync"

	"github.com/picketsec/picket/scanners"
)

// LRU is an in-memory scanners.Cache bounded by entry count, the least
// recently used entry evicted first. It is safe for concurrent use. A
// SQL-backed cache shared by replicas replaces it behind the same
// interface.
type LRU struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *lruEntry, front = most recent
	byKey map[scanners.CacheKey]*list.Element
}

type lruEntry struct {
	key scanners.CacheKey
	val scanners.CachedFile
}

var _ scanners.Cache = (*LRU)(nil)

// NewLRU returns a cache of at most max entries (10,000 when not
// positive).
func NewLRU(max int) *LRU {
	if max <= 0 {
		max = 10000
	}
	return &LRU{max: max, order: list.New(), byKey: map[scanners.CacheKey]*list.Element{}}
}

// Get implements scanners.Cache.
func (c *LRU) Get(_ context.Context, k scanners.CacheKey) (scanners.CachedFile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		return scanners.CachedFile{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry).val, true
}

// Has reports whether k is cached without touching its recency.
func (c *LRU) Has(k scanners.CacheKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.byKey[k]
	return ok
}

// Put implements scanners.Cache.
func (c *LRU) Put(_ context.Context, k scanners.CacheKey, v scanners.CachedFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		el.Value.(*lruEntry).val = v
		c.order.MoveToFront(el)
		return
	}
	c.byKey[k] = c.order.PushFront(&lruEntry{key: k, val: v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*lruEntry).key)
	}
}
