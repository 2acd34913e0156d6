package fetch

import (
	"testing"
	"time"
)

func TestAdvertCacheEntries(t *testing.T) {
	v2 := func() *advert { return &advert{version: 2, caps: map[string]string{"fetch": ""}} }
	now := time.Unix(1_000_000, 0)
	c := NewAdvertCache(CacheMaxRemotes(2), CacheTTL(time.Minute), CacheClock(func() time.Time { return now }))

	t.Run("v0 is not kept", func(t *testing.T) {
		c.put("http://h/v0", &advert{version: 0})
		if c.get("http://h/v0") != nil || c.Len() != 0 {
			t.Errorf("a v0 advertisement was kept")
		}
	})

	t.Run("drop removes only the entry it saw", func(t *testing.T) {
		old, fresh := v2(), v2()
		c.put("http://h/a", old)
		c.put("http://h/a", fresh) // another fetch refreshed it meanwhile
		c.drop("http://h/a", old)
		if c.get("http://h/a") != fresh {
			t.Errorf("dropping the stale entry removed the fresh one")
		}
		c.drop("http://h/a", fresh)
		if c.get("http://h/a") != nil || c.Len() != 0 {
			t.Errorf("drop left the entry")
		}
	})

	t.Run("least recently used goes first", func(t *testing.T) {
		a, b, d := v2(), v2(), v2()
		c.put("http://h/a", a)
		c.put("http://h/b", b)
		c.get("http://h/a") // a is now the most recently used
		c.put("http://h/d", d)
		if c.get("http://h/b") != nil || c.get("http://h/a") != a || c.get("http://h/d") != d || c.Len() != 2 {
			t.Errorf("after evicting: a %v, b %v, d %v, len %d; want b evicted", c.get("http://h/a") != nil, c.get("http://h/b") != nil, c.get("http://h/d") != nil, c.Len())
		}
	})

	t.Run("expired entries are removed on look-up", func(t *testing.T) {
		now = now.Add(time.Minute)
		if c.get("http://h/a") != nil || c.get("http://h/d") != nil || c.Len() != 0 {
			t.Errorf("expired entries returned or kept: len %d", c.Len())
		}
	})

	t.Run("nil caches nothing", func(t *testing.T) {
		var nc *AdvertCache
		nc.put("k", v2())
		nc.drop("k", nil)
		if nc.get("k") != nil || nc.Len() != 0 {
			t.Errorf("nil cache returned an entry")
		}
	})
}
