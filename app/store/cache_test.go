package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/registry"
	"github.com/picketsec/picket/scanners/scannertest"
)

// allowRedacted compares scanners.Redacted by its hidden fields.
var allowRedacted = cmp.AllowUnexported(scanners.Redacted{})

// fill sets every settable leaf of v to a non-zero value: strings to
// their field path, integers to 2 (a valid Severity and Placement),
// slices to one element, pointers to a filled value. Fields that are
// structs without exported fields are left to the caller.
func fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(2)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), path+"[0]")
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fill(v.Field(i), path+"."+f.Name)
			}
		}
	}
}

// zeroLeaves lists the exported leaf fields of v that are zero.
func zeroLeaves(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Struct:
		var out []string
		exported := false
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				exported = true
				out = append(out, zeroLeaves(v.Field(i), path+"."+f.Name)...)
			}
		}
		if !exported && v.IsZero() {
			out = append(out, path)
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return []string{path}
		}
		return zeroLeaves(v.Index(0), path+"[0]")
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return zeroLeaves(v.Elem(), path)
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

// Every field of a CachedFile, and of the findings in it, survives the
// database, except Finding.Match, which the engine clears before caching
// and JSON never writes (it is where a scanner puts the text a
// fingerprint is made of). A field added to Finding later that JSON
// cannot carry fails this test.
func TestCacheRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	var v scanners.CachedFile
	fill(reflect.ValueOf(&v).Elem(), "v")
	v.Findings[0].Evidence = scanners.Redact("AKIAIOSFODNN7EXAMPLE")
	v.Suppressed[0].Finding.Evidence = scanners.Redact("another secret value")
	v.Findings[0].Placement, v.Suppressed[0].Finding.Placement = scanners.OutsideDiff, scanners.InFile
	if z := zeroLeaves(reflect.ValueOf(v), "v"); len(z) != 0 {
		t.Fatalf("the test value leaves fields zero: %v", z)
	}
	want := v
	want.Findings = []scanners.Finding{v.Findings[0]}
	want.Findings[0].Match = ""
	want.Suppressed = []scanners.SuppressedFinding{v.Suppressed[0]}
	want.Suppressed[0].Finding.Match = ""

	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// Through the table: nothing kept in memory.
		c := store.NewCache(s, store.WithCacheMemory(0))
		k := scanners.CacheKey{Path: "a/b.go", HeadBlob: "h1", BaseBlob: "b1", Scanners: "secrets@7"}
		c.Put(ctx, k, v)
		got, ok := c.Get(ctx, k)
		if !ok {
			t.Fatalf("Get after Put missed; stats %+v", c.Stats())
		}
		if diff := cmp.Diff(want, got, allowRedacted); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	})
}

// The engine's own findings, with everything it sets (fingerprints,
// placement, redacted evidence, inline suppressions), come back from the
// database cache unchanged on the next run, on another replica (a Cache
// with nothing in memory), which scans nothing.
func TestCacheServesTheEngine(t *testing.T) {
	t.Parallel()
	const token = "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"
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		caches := []*store.Cache{store.NewCache(s), store.NewCache(s)}
		cs := func(cache *store.Cache) *scanners.Report {
			t.Helper()
			e, err := registry.Engine(config.Default(), registry.WithCache(cache))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := e.Run(ctx, scannertest.ChangeSet(
				scannertest.NewFile("config.go", []byte("package config\n"),
					[]byte("package config\n\nconst token = \""+token+"\"\nconst other = \""+token+"\" // picket:ignore test fixture\n")),
				scannertest.NewFile(".github/workflows/ci.yml", nil,
					[]byte("on: pull_request_target\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: curl -sSL https://example.com/i.sh | sh\n")),
			))
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		first := cs(caches[0])
		if len(first.Findings) < 2 || len(first.Suppressed) == 0 || first.Stats.Reused != 0 {
			t.Fatalf("first run: %d findings, %d suppressed, %d reused; want findings in both files, a suppression and nothing reused",
				len(first.Findings), len(first.Suppressed), first.Stats.Reused)
		}
		second := cs(caches[1])
		if second.Stats.Reused != 2 || second.Stats.Scanned != 0 {
			t.Errorf("second run stats %+v, want both files reused", second.Stats)
		}
		if diff := cmp.Diff(first.Findings, second.Findings, allowRedacted); diff != "" {
			t.Errorf("findings from the cache differ (-scanned +cached):\n%s", diff)
		}
		if diff := cmp.Diff(first.Suppressed, second.Suppressed, allowRedacted); diff != "" {
			t.Errorf("suppressions from the cache differ (-scanned +cached):\n%s", diff)
		}
		want := []store.CacheStats{{Misses: 2, Puts: 2}, {Hits: 2}}
		for i, c := range caches {
			if st := c.Stats(); st != want[i] {
				t.Errorf("cache %d Stats = %+v, want %+v", i, st, want[i])
			}
		}
	})
}

func TestCacheEviction(t *testing.T) {
	t.Parallel()
	key := func(i int) scanners.CacheKey {
		return scanners.CacheKey{Path: fmt.Sprintf("f%d.go", i), HeadBlob: "h", Scanners: "s@1"}
	}
	val := func(i int) scanners.CachedFile { return scanners.CachedFile{Bytes: int64(i)} }
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &fakeClock{t: time.UnixMilli(1700000000000)}
		c := store.NewCache(s, store.WithCacheClock(clock.Now), store.WithCacheMemory(0))
		for i := range 10 {
			clock.Advance(time.Second)
			c.Put(ctx, key(i), val(i))
		}
		// A hit long after the Put refreshes the entry's last use.
		clock.Advance(time.Hour)
		if v, ok := c.Get(ctx, key(0)); !ok || v.Bytes != 0 {
			t.Fatalf("Get(0) = %+v, %v", v, ok)
		}
		n, err := c.Prune(ctx, 4)
		if err != nil || n != 6 {
			t.Fatalf("Prune(4) = %d, %v; want 6 deleted", n, err)
		}
		for i, want := range map[int]bool{0: true, 1: false, 6: false, 7: true, 9: true} {
			if _, ok := c.Get(ctx, key(i)); ok != want {
				t.Errorf("after Prune, Get(%d) hit = %v, want %v", i, ok, want)
			}
		}
		if n, err := c.Prune(ctx, 4); n != 0 || err != nil {
			t.Errorf("Prune at the bound = %d, %v; want 0", n, err)
		}
		// Age-based: the Gets above refreshed 0, 7 and 9; 8 is the one
		// not used in the last hour.
		if n, err := c.PruneBefore(ctx, clock.Now().Add(-time.Minute)); n != 1 || err != nil {
			t.Errorf("PruneBefore = %d, %v; want 1", n, err)
		}
		if _, ok := c.Get(ctx, key(8)); ok {
			t.Error("PruneBefore kept the stale entry")
		}
	})
}

// Put keeps the table near its bound by itself.
func TestCachePrunesOnPut(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &fakeClock{t: time.UnixMilli(1700000000000)}
		c := store.NewCache(s, store.WithCacheMaxRows(20), store.WithCacheClock(clock.Now))
		for i := range 50 {
			clock.Advance(time.Millisecond)
			c.Put(ctx, scanners.CacheKey{Path: fmt.Sprint(i)}, scanners.CachedFile{})
		}
		var rows int
		if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM picket_result_cache`).Scan(&rows); err != nil || rows != 20 {
			t.Errorf("rows = %d, %v; want 20", rows, err)
		}
		if _, ok := c.Get(ctx, scanners.CacheKey{Path: "49"}); !ok {
			t.Error("the newest entry was evicted")
		}
	})
}

// A failing database or an unreadable row costs a rescan, never the scan.
func TestCacheFailuresAreMisses(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := store.NewCache(s, store.WithCacheMemory(0))
		k := scanners.CacheKey{Path: "x.go", HeadBlob: "h"}
		if _, ok := c.Get(ctx, k); ok {
			t.Fatal("hit on an empty cache")
		}
		c.Put(ctx, k, scanners.CachedFile{Bytes: 1})
		if _, err := s.Exec(ctx, `UPDATE picket_result_cache SET value = ?`, `{"findings": [{"placement": "nowhere"}]}`); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get(ctx, k); ok {
			t.Error("an undecodable row was a hit")
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		c.Put(cancelled, scanners.CacheKey{Path: "y.go"}, scanners.CachedFile{})
		if _, ok := c.Get(cancelled, k); ok {
			t.Error("a failed read was a hit")
		}
		if st := c.Stats(); st != (store.CacheStats{Hits: 0, Misses: 3, Errors: 3, Puts: 2}) {
			t.Errorf("Stats = %+v, want 3 misses, 3 errors (decode, write, read), 2 puts", st)
		}
	})
}

// A Cache serves recently used rows from memory, a bounded number: a
// row corrupted in the table behind its back still hits while remembered,
// and misses once pushed out or for another replica.
func TestCacheMemory(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := store.NewCache(s, store.WithCacheMemory(1))
		k1, k2 := scanners.CacheKey{Path: "1.go"}, scanners.CacheKey{Path: "2.go"}
		c.Put(ctx, k1, scanners.CachedFile{Bytes: 1})
		c.Put(ctx, k2, scanners.CachedFile{Bytes: 2})
		if _, err := s.Exec(ctx, `UPDATE picket_result_cache SET value = ?`, `not json`); err != nil {
			t.Fatal(err)
		}
		if v, ok := c.Get(ctx, k2); !ok || v.Bytes != 2 {
			t.Errorf("Get(remembered) = %+v, %v; want a hit from memory", v, ok)
		}
		if _, ok := c.Get(ctx, k1); ok {
			t.Error("Get(pushed out of memory) hit the corrupt row")
		}
		if _, ok := store.NewCache(s).Get(ctx, k2); ok {
			t.Error("another replica's Get hit the corrupt row")
		}
	})
}

// BenchmarkCache is a put and a hit (from memory, and from the table) of
// a file with three findings on each dialect: what the database cache
// costs per scanned file.
func BenchmarkCache(b *testing.B) {
	var v scanners.CachedFile
	fill(reflect.ValueOf(&v).Elem(), "v")
	v.Findings = append(v.Findings, v.Findings[0], v.Findings[0])
	for _, url := range storetest.URLs(b) {
		name := strings.SplitN(url, ":", 2)[0]
		s, err := store.Open(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		c := store.NewCache(s)
		ctx := context.Background()
		k := scanners.CacheKey{Path: "a.go", HeadBlob: "h", BaseBlob: "b", Scanners: "secrets@7"}
		b.Run(name+"/put", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				k.HeadBlob = strconv.Itoa(i % 1000)
				c.Put(ctx, k, v)
			}
		})
		for sub, c := range map[string]*store.Cache{"get-memory": c, "get-table": store.NewCache(s, store.WithCacheMemory(0))} {
			b.Run(name+"/"+sub, func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					k.HeadBlob = strconv.Itoa(i % 1000)
					if _, ok := c.Get(ctx, k); !ok {
						b.Fatal("miss")
					}
				}
			})
		}
		if st := c.Stats(); st.Errors != 0 {
			b.Errorf("%s: %d errors", name, st.Errors)
		}
		s.Close()
	}
}
