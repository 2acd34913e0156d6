package pipeline

import (
	"context"
	"testing"

	"github.com/picketsec/picket/scanners"
)

func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := NewLRU(2)
	k := func(id string) scanners.CacheKey { return scanners.CacheKey{Path: "a", HeadBlob: id} }
	c.Put(ctx, k("1"), scanners.CachedFile{Bytes: 1})
	c.Put(ctx, k("2"), scanners.CachedFile{Bytes: 2})
	if v, ok := c.Get(ctx, k("1")); !ok || v.Bytes != 1 { // 1 is now the most recent
		t.Fatalf("Get(1) = %v, %v, want 1, true", v, ok)
	}
	c.Put(ctx, k("3"), scanners.CachedFile{Bytes: 3})
	for id, want := range map[string]bool{"1": true, "2": false, "3": true} {
		if got := c.Has(k(id)); got != want {
			t.Errorf("Has(%s) = %v, want %v", id, got, want)
		}
	}
	c.Put(ctx, k("3"), scanners.CachedFile{Bytes: 30})
	if v, _ := c.Get(ctx, k("3")); v.Bytes != 30 {
		t.Errorf("Get(3) after update = %d, want 30", v.Bytes)
	}
}
