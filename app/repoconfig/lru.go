package repoconfig

import (
	"container/list"
	"sync"
	"time"
)

// lru is a bounded map from a cache key to a loaded candidate, the least
// recently used entry evicted first. It is safe for concurrent use.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *lruEntry, front = most recent
	byKey map[string]*list.Element
}

type lruEntry struct {
	key string
	val cached
}

// cached is the outcome of reading one candidate that may be reused: a
// file found (parsed, or invalid) or definitively absent.
type cached struct {
	res   Result
	found bool
	// expires is when the entry stops being valid; zero for never (a
	// file, or its absence, at a commit SHA).
	expires time.Time
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the entry of key if there is one still valid at now; an
// expired entry is dropped.
func (c *lru) get(key string, now time.Time) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return cached{}, false
	}
	e := el.Value.(*lruEntry)
	if !e.val.expires.IsZero() && !now.Before(e.val.expires) {
		c.order.Remove(el)
		delete(c.byKey, key)
		return cached{}, false
	}
	c.order.MoveToFront(el)
	return e.val, true
}

// put stores v under key, evicting the least recently used entries over
// the bound.
func (c *lru) put(key string, v cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		el.Value.(*lruEntry).val = v
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&lruEntry{key: key, val: v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*lruEntry).key)
	}
}

// len is the number of entries, expired ones included.
func (c *lru) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
