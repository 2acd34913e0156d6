package repoconfig

import (
	"context"
	"time"

	"github.com/google/go-github/v62/github"
)

// DefaultMaxEntries bounds a Loader's cache: one entry per (repository,
// base commit) and one per organisation default, a few hundred bytes each.
const DefaultMaxEntries = 4096

// DefaultOrgTTL is how long a Loader reuses an organisation default: a
// change to OWNER/.github's `.github/picket.yml` takes effect within it.
const DefaultOrgTTL = time.Minute

// Loader is Load with a cache, so that the pushes of a pull request do not
// each read the same configuration from GitHub again. Create one per
// process with NewLoader and share it across scans; it is safe for
// concurrent use.
//
// What it caches, and for how long:
//   - the repository's file at a base commit, found (parsed, or invalid:
//     the same bytes parse the same way) or absent, until evicted: a file
//     at a commit SHA never changes, nor does its absence. Only a full
//     commit SHA is cached this way; a branch name or an empty ref is read
//     every time.
//   - the organisation default (OWNER/.github on its default branch),
//     found or absent, for the TTL (DefaultOrgTTL unless WithOrgTTL): it is
//     not pinned to a commit, so a change to it takes effect within the TTL.
//
// What it never caches: a LoadErr (403, 404 for an unknown commit, 5xx, a
// rate limit), so the next scan asks GitHub again, and a cancelled read.
//
// The Result's Config and ParseErr are shared by every Load that hits the
// same entry: callers must treat them as read-only (the pipeline and
// scanners/registry only read them).
type Loader struct {
	cache *lru
	ttl   time.Duration
	now   func() time.Time
}

// LoaderOption configures NewLoader.
type LoaderOption func(*loaderOptions)

type loaderOptions struct {
	max int
	ttl time.Duration
	now func() time.Time
}

// WithMaxEntries bounds the cache to n entries (DefaultMaxEntries when n
// is not positive); the least recently used is evicted first.
func WithMaxEntries(n int) LoaderOption { return func(o *loaderOptions) { o.max = n } }

// WithOrgTTL sets how long an organisation default is reused (default
// DefaultOrgTTL); zero or less reads it on every Load.
func WithOrgTTL(d time.Duration) LoaderOption { return func(o *loaderOptions) { o.ttl = d } }

// WithClock sets the clock the organisation default's TTL is measured on
// (default time.Now); tests inject a fake one.
func WithClock(now func() time.Time) LoaderOption { return func(o *loaderOptions) { o.now = now } }

// NewLoader returns an empty Loader.
func NewLoader(opts ...LoaderOption) *Loader {
	o := loaderOptions{ttl: DefaultOrgTTL, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.max <= 0 {
		o.max = DefaultMaxEntries
	}
	return &Loader{cache: newLRU(o.max), ttl: o.ttl, now: o.now}
}

// Load is the package-level Load, answered from the cache where it can be
// (see Loader). client reads what is not cached; the cache is keyed by
// repository and commit, not by client, since a file at a commit is the
// same whoever reads it.
func (l *Loader) Load(ctx context.Context, client *github.Client, owner, repo, baseSHA string) (Result, error) {
	return resolve(ctx, client, owner, repo, baseSHA, l.load)
}

// load is the package's load behind the cache.
func (l *Loader) load(ctx context.Context, client *github.Client, src Source) (Result, bool, error) {
	key, ttl, ok := l.key(src)
	if !ok {
		return load(ctx, client, src)
	}
	if c, hit := l.cache.get(key, l.now()); hit {
		return c.res, c.found, nil
	}
	res, found, err := load(ctx, client, src)
	if err != nil || res.LoadErr != nil {
		return res, found, err
	}
	c := cached{res: res, found: found}
	if ttl > 0 {
		c.expires = l.now().Add(ttl)
	}
	l.cache.put(key, c)
	return res, found, nil
}

// key is the cache key of a candidate and how long it stays valid (zero:
// until evicted); ok is false for a candidate that must not be cached.
func (l *Loader) key(src Source) (key string, ttl time.Duration, ok bool) {
	switch src.Origin {
	case FromRepo:
		if !isCommitSHA(src.Ref) {
			return "", 0, false
		}
		return "repo\x00" + src.Repo + "\x00" + src.Path + "\x00" + src.Ref, 0, true
	case FromOrg:
		if l.ttl <= 0 {
			return "", 0, false
		}
		return "org\x00" + src.Repo + "\x00" + src.Path, l.ttl, true
	}
	return "", 0, false
}

// isCommitSHA reports whether ref is a full commit id (SHA-1, or SHA-256
// for repositories using it), which names immutable content; a branch or
// tag name, or an abbreviated id, may point elsewhere later.
func isCommitSHA(ref string) bool {
	if len(ref) != 40 && len(ref) != 64 {
		return false
	}
	for _, r := range ref {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && (r < 'A' || r > 'F') {
			return false
		}
	}
	return true
}
