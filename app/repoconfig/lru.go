package repoconfig

import (
	"time"

	golru "github.com/hashicorp/golang-lru/v2"
)

// lru is a bounded map from a cache key to a loaded candidate, the least
// recently used entry evicted first (hashicorp/golang-lru), whose entries
// may expire. It is safe for concurrent use.
type lru struct {
	c *golru.Cache[string, cached]
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
	c, err := golru.New[string, cached](max)
	if err != nil {
		panic(err) // only for a size that is not positive; NewLoader guards it
	}
	return &lru{c: c}
}

// get returns the entry of key if there is one still valid at now; an
// expired entry is dropped.
func (c *lru) get(key string, now time.Time) (cached, bool) {
	v, ok := c.c.Get(key)
	if !ok {
		return cached{}, false
	}
	if !v.expires.IsZero() && !now.Before(v.expires) {
		c.c.Remove(key)
		return cached{}, false
	}
	return v, true
}

// put stores v under key, evicting the least recently used entries over
// the bound.
func (c *lru) put(key string, v cached) { c.c.Add(key, v) }

// len is the number of entries, expired ones included.
func (c *lru) len() int { return c.c.Len() }
