package store

import (
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
type Cache struct {
	s          *Store
	log        *slog.Logger
	now        func() time.Time
	maxRows    int
	touchEvery time.Duration
	pruneEvery int64

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

// WithCacheClock sets the clock that stamps last use (default time.Now).
func WithCacheClock(now func() time.Time) CacheOption { return func(c *Cache) { c.now = now } }

// NewCache returns the database result cache of s.
func NewCache(s *Store, opts ...CacheOption) *Cache {
	c := &Cache{s: s, log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now,
		maxRows: DefaultCacheRows, touchEvery: 10 * time.Minute}
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
	var value string
	var lastUsed int64
	err := c.s.QueryRow(ctx, `SELECT value, last_used FROM picket_result_cache WHERE key = ?`, key).Scan(&value, &lastUsed)
	if err != nil {
		c.misses.Add(1)
		if !isNoRows(err) {
			c.fail(ctx, "read", k, err)
		}
		return scanners.CachedFile{}, false
	}
	var v scanners.CachedFile
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		// A row this version cannot read (written by a newer or older
		// Picket) is a miss; the rescan's Put replaces it.
		c.misses.Add(1)
		c.fail(ctx, "decode", k, err)
		return scanners.CachedFile{}, false
	}
	c.hits.Add(1)
	if now := c.now().UnixMilli(); now-lastUsed >= c.touchEvery.Milliseconds() {
		if _, err := c.s.Exec(ctx, `UPDATE picket_result_cache SET last_used = ? WHERE key = ? AND last_used < ?`, now, key, now); err != nil {
			c.fail(ctx, "touch", k, err)
		}
	}
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
	_, err = c.s.Exec(ctx, `INSERT INTO picket_result_cache (key, path, head_blob, base_blob, scanners, value, last_used)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, last_used = excluded.last_used`,
		cacheKey(k), k.Path, k.HeadBlob, k.BaseBlob, k.Scanners, string(b), c.now().UnixMilli())
	if err != nil {
		c.fail(ctx, "write", k, err)
		return
	}
	if n%c.pruneEvery == 0 {
		if _, err := c.Prune(ctx, c.maxRows); err != nil {
			c.errs.Add(1)
			c.log.WarnContext(ctx, "result cache: prune failed; the table may exceed its bound until the next prune", "err", err)
		}
	}
}

// Prune deletes the least recently used rows so that at most maxRows
// remain, and reports how many it deleted. Rows used at the same
// millisecond as the oldest one kept may go too.
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
