package fetch

import (
	"container/list"
	"sync"
	"time"
)

// Defaults of NewAdvertCache.
const (
	DefaultAdvertTTL        = 10 * time.Minute
	DefaultAdvertMaxRemotes = 1024
)

// AdvertCache remembers the protocol v2 capability advertisement of each
// remote, so a Fetcher using it (WithAdvertCache) makes one request, the
// pack POST, instead of a GET of info/refs first. A v2 advertisement lists
// capabilities only, no refs, and is the same for every fetch from one
// remote. Protocol v0 advertisements, which list every ref, are never
// kept.
//
// Entries are keyed by the remote URL without credentials: tokens are per
// installation and change hourly, and they play no part in the key. Reuse
// across tokens grants nothing, since every POST still carries its own
// token and the server authorizes it. An entry is stored only after a
// fetch with it succeeded, lives at most the TTL, and the least recently
// used one is evicted past the size bound.
//
// An AdvertCache is safe for concurrent use. A nil *AdvertCache caches
// nothing.
type AdvertCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	lru     *list.List // of *advertEntry, most recently used first
	entries map[string]*list.Element
}

type advertEntry struct {
	key     string
	adv     *advert // read-only once stored
	expires time.Time
}

// CacheOption configures NewAdvertCache.
type CacheOption func(*AdvertCache)

// CacheTTL sets how long an advertisement is reused (default
// DefaultAdvertTTL). Servers change capabilities only when upgraded or
// reconfigured, and a stale entry costs one failed POST before it is
// refreshed, so the TTL only bounds how long such a change goes unseen.
func CacheTTL(d time.Duration) CacheOption { return func(c *AdvertCache) { c.ttl = d } }

// CacheMaxRemotes bounds the number of remotes kept (default
// DefaultAdvertMaxRemotes).
func CacheMaxRemotes(n int) CacheOption { return func(c *AdvertCache) { c.max = n } }

// CacheClock sets the clock that expires entries (default time.Now), for
// tests.
func CacheClock(now func() time.Time) CacheOption { return func(c *AdvertCache) { c.now = now } }

// NewAdvertCache returns an empty cache. Non-positive TTL or size mean
// the defaults.
func NewAdvertCache(opts ...CacheOption) *AdvertCache {
	c := &AdvertCache{ttl: DefaultAdvertTTL, max: DefaultAdvertMaxRemotes, now: time.Now, lru: list.New(), entries: map[string]*list.Element{}}
	for _, o := range opts {
		o(c)
	}
	if c.ttl <= 0 {
		c.ttl = DefaultAdvertTTL
	}
	if c.max <= 0 {
		c.max = DefaultAdvertMaxRemotes
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Len is the number of remotes held, expired entries included until they
// are looked up or evicted.
func (c *AdvertCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// get returns the unexpired advertisement of key, or nil.
func (c *AdvertCache) get(key string) *advert {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*advertEntry)
	if !c.now().Before(e.expires) {
		c.lru.Remove(el)
		delete(c.entries, key)
		return nil
	}
	c.lru.MoveToFront(el)
	return e.adv
}

// put stores a v2 advertisement under key; others are ignored.
func (c *AdvertCache) put(key string, a *advert) {
	if c == nil || a == nil || a.version != 2 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	expires := c.now().Add(c.ttl)
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*advertEntry)
		e.adv, e.expires = a, expires
		c.lru.MoveToFront(el)
		return
	}
	c.entries[key] = c.lru.PushFront(&advertEntry{key: key, adv: a, expires: expires})
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*advertEntry).key)
	}
}

// drop removes key's entry if it still holds a, so a stale entry found by
// one fetch does not remove the fresh one another fetch stored meanwhile.
func (c *AdvertCache) drop(key string, a *advert) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok && el.Value.(*advertEntry).adv == a {
		c.lru.Remove(el)
		delete(c.entries, key)
	}
}
