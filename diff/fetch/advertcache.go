package fetch

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
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

	// mu makes drop's look-up and removal one step; the LRU
	// (hashicorp/golang-lru) orders and bounds the entries.
	mu      sync.Mutex
	entries *lru.Cache[string, advertEntry]
}

type advertEntry struct {
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
	c := &AdvertCache{ttl: DefaultAdvertTTL, max: DefaultAdvertMaxRemotes, now: time.Now}
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
	entries, err := lru.New[string, advertEntry](c.max)
	if err != nil {
		panic(err) // only for a size that is not positive, excluded above
	}
	c.entries = entries
	return c
}

// Len is the number of remotes held, expired entries included until they
// are looked up or evicted.
func (c *AdvertCache) Len() int {
	if c == nil {
		return 0
	}
	return c.entries.Len()
}

// get returns the unexpired advertisement of key, or nil.
func (c *AdvertCache) get(key string) *advert {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries.Get(key)
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		c.entries.Remove(key)
		return nil
	}
	return e.adv
}

// put stores a v2 advertisement under key; others are ignored.
func (c *AdvertCache) put(key string, a *advert) {
	if c == nil || a == nil || a.version != 2 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.Add(key, advertEntry{adv: a, expires: c.now().Add(c.ttl)})
}

// drop removes key's entry if it still holds a, so a stale entry found by
// one fetch does not remove the fresh one another fetch stored meanwhile.
func (c *AdvertCache) drop(key string, a *advert) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries.Peek(key); ok && e.adv == a {
		c.entries.Remove(key)
	}
}
