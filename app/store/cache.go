package store

import (
	"container/list"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/picketsec/picket/scanners"
)

// Cache is the per-file result cache in the database, shared by every
// replica: a scanners.Cache whose rows outlive restarts. Values are the
// CachedFile as JSON.
//
// Get and Put are best-effort, as scanners.Cache requires: a database
// failure or an undecodable row is logged, counted in CacheStats.Errors,
// and costs only a rescan (Get reports a miss). The table is bounded:
// every so many Puts the least recently used rows beyond the maximum are
// deleted (Prune). A Get refreshes a row's last use at most once per
// touch interval, so hits do not each cost a write.
//
// In front of the table each Cache keeps the most recently used rows'
// JSON in memory (WithCacheMemory), so the pipeline's look-up (which
// blobs to fetch) and the engine's that follows cost one query, not two.
// That is safe across replicas because a row never changes meaning: its
// key names both blobs and the scanner versions, so any replica computes
// the same value. Each Get decodes afresh, so callers never share slices.
type Cache struct {
	s          *Store
	log        *slog.Logger
	now        func() time.Time
	maxRows    int
	touchEvery time.Duration
	pruneEvery int64
	memo       *memo

	hits, misses, errs, puts atomic.Int64
}

// CacheOption configures a Cache.
type CacheOption func(*Cache)

// DefaultCacheRows is the number of rows the cache keeps by default:
// at a few kilobytes a file, some hundreds of megabytes at most.
const DefaultCacheRows = 100_000

// WithCacheLogger logs the cache's failures (default: not logged, only
// counted).
func WithCacheLogger(l *slog.Logger) CacheOption { return func(c *Cache) { c.log = l } }

// WithCacheMaxRows bounds the table (default DefaultCacheRows; 0 or less
// means the default).
func WithCacheMaxRows(n int) CacheOption {
	return func(c *Cache) {
		if n > 0 {
			c.maxRows = n
		}
	}
}

// DefaultCacheMemory is how many rows a Cache keeps in memory by default.
const DefaultCacheMemory = 2048

// WithCacheMemory sets how many recently used rows are kept in memory in
// front of the table (default DefaultCacheMemory; 0 or less: none).
func WithCacheMemory(n int) CacheOption { return func(c *Cache) { c.memo = newMemo(n) } }

// WithCacheClock sets the clock that stamps last use (default time.Now).
func WithCacheClock(now func() time.Time) CacheOption { return func(c *Cache) { c.now = now } }

// NewCache returns the database result cache of s.
func NewCache(s *Store, opts ...CacheOption) *Cache {
	c := &Cache{s: s, log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now,
		maxRows: DefaultCacheRows, touchEvery: 10 * time.Minute, memo: newMemo(DefaultCacheMemory)}
	for _, o := range opts {
		o(c)
	}
	// Prune when the table may have grown by a twentieth of its bound:
	// often enough to stay near it, rarely enough to cost nothing.
	c.pruneEvery = int64(max(c.maxRows/20, 1))
	return c
}

var _ scanners.Cache = (*Cache)(nil)

// CacheStats are a Cache's counters since it was made.
type CacheStats struct {
	Hits   int64 // Gets that found a row
	Misses int64 // Gets that did not, including failed ones
	Errors int64 // failed reads, writes, decodes and prunes
	Puts   int64 // Puts attempted
}

// Stats returns the counters: Hits/(Hits+Misses) is the hit ratio.
func (c *Cache) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Errors: c.errs.Load(), Puts: c.puts.Load()}
}

// CacheLayer names the cache in the look-up metrics (app/pipeline's
// Layerer).
func (c *Cache) CacheLayer() string { return "database" }

// cacheKey is the row key of k: the hex SHA-256 of its fields.
func cacheKey(k scanners.CacheKey) string {
	h := sha256.New()
	for _, f := range []string{k.Path, k.HeadBlob, k.BaseBlob, k.Scanners} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Get implements scanners.Cache. It never fails: errors are a miss.
func (c *Cache) Get(ctx context.Context, k scanners.CacheKey) (scanners.CachedFile, bool) {
	key := cacheKey(k)
	value, lastUsed, ok := c.memo.get(key)
	if !ok {
		var s string
		err := c.s.lookupRow(ctx, `SELECT value, last_used FROM picket_result_cache WHERE key = ?`, key).Scan(&s, &lastUsed)
		if err != nil {
			c.misses.Add(1)
			if !isNoRows(err) {
				c.fail(ctx, "read", k, err)
			}
			return scanners.CachedFile{}, false
		}
		value = []byte(s)
	}
	var v scanners.CachedFile
	if err := json.Unmarshal(value, &v); err != nil {
		// A row this version cannot read (written by a newer or older
		// Picket) is a miss; the rescan's Put replaces it.
		c.memo.remove(key)
		c.misses.Add(1)
		c.fail(ctx, "decode", k, err)
		return scanners.CachedFile{}, false
	}
	c.hits.Add(1)
	if now := c.now().UnixMilli(); now-lastUsed >= c.touchEvery.Milliseconds() {
		if _, err := c.s.Exec(ctx, `UPDATE picket_result_cache SET last_used = ? WHERE key = ? AND last_used < ?`, now, key, now); err != nil {
			c.fail(ctx, "touch", k, err)
		} else {
			lastUsed = now
		}
	}
	c.memo.put(key, value, lastUsed)
	return v, true
}

// Put implements scanners.Cache. It never fails: errors are logged and
// counted, and the file is scanned again next time.
func (c *Cache) Put(ctx context.Context, k scanners.CacheKey, v scanners.CachedFile) {
	n := c.puts.Add(1)
	b, err := json.Marshal(v)
	if err != nil {
		c.fail(ctx, "encode", k, err)
		return
	}
	key, now := cacheKey(k), c.now().UnixMilli()
	_, err = c.s.Exec(ctx, `INSERT INTO picket_result_cache (key, path, head_blob, base_blob, scanners, value, last_used)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, last_used = excluded.last_used`,
		key, k.Path, k.HeadBlob, k.BaseBlob, k.Scanners, string(b), now)
	if err != nil {
		c.fail(ctx, "write", k, err)
		return
	}
	c.memo.put(key, b, now)
	if n%c.pruneEvery == 0 {
		if _, err := c.Prune(ctx, c.maxRows); err != nil {
			c.errs.Add(1)
			c.log.WarnContext(ctx, "result cache: prune failed; the table may exceed its bound until the next prune", "err", err)
		}
	}
}

// Prune deletes the least recently used rows so that at most maxRows
// remain, and reports how many it deleted. Rows used at the same
// millisecond as the oldest one kept may go too. It acts on the table;
// the rows kept in memory stay until pushed out by newer ones.
func (c *Cache) Prune(ctx context.Context, maxRows int) (int64, error) {
	if maxRows < 0 {
		maxRows = 0
	}
	// The subquery is the (maxRows+1)-th most recent use, NULL when there
	// are not that many rows (and then nothing compares <= NULL).
	n, err := c.s.Exec(ctx, `DELETE FROM picket_result_cache WHERE last_used <= (
		SELECT last_used FROM picket_result_cache ORDER BY last_used DESC LIMIT 1 OFFSET `+strconv.Itoa(maxRows)+`)`)
	if err != nil {
		return 0, fmt.Errorf("prune result cache: %w", err)
	}
	return n, nil
}

// PruneBefore deletes the rows last used before cutoff and reports how
// many it deleted.
func (c *Cache) PruneBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	n, err := c.s.Exec(ctx, `DELETE FROM picket_result_cache WHERE last_used < ?`, cutoff.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune result cache: %w", err)
	}
	return n, nil
}

// fail counts and logs a failure of a best-effort operation.
func (c *Cache) fail(ctx context.Context, op string, k scanners.CacheKey, err error) {
	c.errs.Add(1)
	c.log.WarnContext(ctx, "result cache: "+op+" failed; the file is scanned again", "path", k.Path, "err", err)
}

// isNoRows reports whether err is a missing row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// memo is a bounded LRU of rows' JSON by key, safe for concurrent use. A
// nil *memo keeps nothing.
type memo struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *memoEntry, front = most recent
	byKey map[string]*list.Element
}

type memoEntry struct {
	key      string
	value    []byte
	lastUsed int64 // as recorded in the table
}

func newMemo(n int) *memo {
	if n <= 0 {
		return nil
	}
	return &memo{max: n, order: list.New(), byKey: map[string]*list.Element{}}
}

func (m *memo) get(key string) (value []byte, lastUsed int64, ok bool) {
	if m == nil {
		return nil, 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.byKey[key]
	if !ok {
		return nil, 0, false
	}
	m.order.MoveToFront(el)
	e := el.Value.(*memoEntry)
	return e.value, e.lastUsed, true
}

func (m *memo) put(key string, value []byte, lastUsed int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.byKey[key]; ok {
		e := el.Value.(*memoEntry)
		e.value, e.lastUsed = value, lastUsed
		m.order.MoveToFront(el)
		return
	}
	m.byKey[key] = m.order.PushFront(&memoEntry{key: key, value: value, lastUsed: lastUsed})
	for m.order.Len() > m.max {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.byKey, last.Value.(*memoEntry).key)
	}
}

func (m *memo) remove(key string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.byKey[key]; ok {
		m.order.Remove(el)
		delete(m.byKey, key)
	}
}
