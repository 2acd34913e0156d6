package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/internal/later"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/repoconfig"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/registry"
	"github.com/picketsec/picket/templates"
)

// Log keys the pipeline's records carry.
const (
	LogRepo       = "repo"
	LogPR         = "pr"
	LogHeadSHA    = "head_sha"
	LogDeliveryID = "delivery_id"
	LogReason     = "reason"
	LogJobID      = "job_id"
)

// TokenFunc returns an installation token for the git fetch (basic auth
// as x-access-token). stale, when not empty, is a token the git server
// refused (401), which must not be returned again. A token is never
// logged.
type TokenFunc func(ctx context.Context, installationID int64, stale string) (string, error)

// AppTokens returns the installation's token that f's clients share: a
// scan mints none of its own (it used to cost a request and an RSA
// signature per scan), and a refused one is replaced for everyone.
func AppTokens(f *gh.ClientFactory) TokenFunc {
	return f.InstallationToken
}

// Pipeline scans one pull request head; it implements jobs.Pipeline.
type Pipeline struct {
	clients  publish.Clients
	pub      publish.Publisher
	tokens   TokenFunc
	cache    scanners.Cache
	cacheObs CacheObserver // nil: look-ups not counted
	log      *slog.Logger
	cloneURL func(repo, cloneURL string) string
	http     *http.Client
	maxBytes int64
	ignores  Ignores
	baseIDs  *baseIDs
	heads    HeadFunc    // nil: never re-checked before publishing
	lock     PublishLock // nil: publishing is not serialised per pull request
	configs  *repoconfig.Loader

	// adverts holds the git advertisements shared by scans; advertsSet
	// says WithAdvertCache was given (a nil cache then disables it).
	adverts    *fetch.AdvertCache
	advertsSet bool
}

var _ jobs.Pipeline = (*Pipeline)(nil)

// Option configures New.
type Option func(*Pipeline)

// WithCache sets the result cache (default: an LRU of 10,000 files).
func WithCache(c scanners.Cache) Option { return func(p *Pipeline) { p.cache = c } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(p *Pipeline) { p.log = l } }

// WithCloneURL overrides the git remote of a repository; fn gets
// owner/name and the clone_url GitHub reports. Tests point it at a local
// git server.
func WithCloneURL(fn func(repo, cloneURL string) string) Option {
	return func(p *Pipeline) { p.cloneURL = fn }
}

// WithHTTPClient sets the HTTP client of the git fetch.
func WithHTTPClient(c *http.Client) Option { return func(p *Pipeline) { p.http = c } }

// WithMaxFetchBytes caps one fetch (default fetch.DefaultMaxBytes).
func WithMaxFetchBytes(n int64) Option { return func(p *Pipeline) { p.maxBytes = n } }

// WithConfigLoader sets the repository configuration loader (default: a
// repoconfig.NewLoader of the pipeline's own, shared by all its scans).
func WithConfigLoader(l *repoconfig.Loader) Option { return func(p *Pipeline) { p.configs = l } }

// WithAdvertCache sets the cache of git capability advertisements shared
// by the pipeline's fetches (default: a new fetch.AdvertCache, so one per
// pipeline, which is one per process in the server). A nil c makes every
// fetch GET the advertisement.
func WithAdvertCache(c *fetch.AdvertCache) Option {
	return func(p *Pipeline) { p.adverts, p.advertsSet = c, true }
}

// New returns a pipeline getting installation clients from clients
// (a *gh.ClientFactory), publishing with pub (publish.Multi of Checks and
// Reviews) and authenticating git fetches with tokens.
func New(clients publish.Clients, pub publish.Publisher, tokens TokenFunc, opts ...Option) *Pipeline {
	p := &Pipeline{clients: clients, pub: pub, tokens: tokens, log: slog.New(slog.DiscardHandler), baseIDs: newBaseIDs(maxBaseIDs)}
	for _, o := range opts {
		o(p)
	}
	if p.cache == nil {
		p.cache = NewLRU(0)
	}
	if p.configs == nil {
		p.configs = repoconfig.NewLoader()
	}
	if !p.advertsSet {
		p.adverts = fetch.NewAdvertCache()
	}
	return p
}

// abortTimeout bounds completing the check run after the job's context
// is done.
const abortTimeout = 30 * time.Second

// permanent marks an error that no retry can fix.
type permanent struct{ err error }

func (e permanent) Error() string { return e.err.Error() }
func (e permanent) Unwrap() error { return e.err }

// Scan implements jobs.Pipeline.
func (p *Pipeline) Scan(ctx context.Context, a jobs.ScanArgs) error {
	log := p.log.With(LogRepo, a.Repo, LogPR, a.PR, LogHeadSHA, a.HeadSHA, LogDeliveryID, a.DeliveryID, LogReason, a.Reason)
	if at, ok := ctx.Value(attemptKey{}).(attempt); ok {
		log = log.With(LogJobID, at.job, "attempt", at.n, "max_attempts", at.max)
	}
	owner, name, ok := strings.Cut(a.Repo, "/")
	if !ok {
		log.ErrorContext(ctx, "scan: bad repository name")
		return river.JobCancel(fmt.Errorf("repository %q is not owner/name", a.Repo))
	}
	t := publish.Target{Owner: owner, Repo: name, PR: a.PR, HeadSHA: a.HeadSHA, BaseSHA: a.BaseSHA, InstallationID: a.InstallationID}
	if at, ok := ctx.Value(attemptKey{}).(attempt); ok {
		t.Job, t.Retry = at.job, at.n > 1
	}
	// The check run is opened beside the scan's first reads; the scan
	// waits for it only to publish, and every way out waits for it too.
	start := time.Now()
	begin := later.Go(func() (publish.RunID, error) { return p.pub.Begin(ctx, t) })
	err := p.scan(ctx, log, begin, t, a.Files, start)
	id, berr := begin.Wait()
	if berr != nil {
		// Nothing is open yet (or Begin could not see the run): a later
		// attempt opens it; a permanent failure still gets an Abort,
		// which opens and completes a run.
		return p.fail(ctx, log, id, t, fmt.Errorf("begin check run: %w", berr))
	}
	if err == nil {
		log.InfoContext(ctx, "scan done", "took", time.Since(start))
		return nil
	}
	var sup supersededError
	if errors.As(err, &sup) {
		log.InfoContext(ctx, "scan superseded before publishing", "why", sup.why)
		if cerr := p.Superseded(ctx, a, sup.why); cerr != nil {
			return fmt.Errorf("close superseded check run: %w", cerr)
		}
		return river.JobCancel(sup)
	}
	return p.fail(ctx, log, id, t, err)
}

// fail decides between a River retry and completing the check run.
func (p *Pipeline) fail(ctx context.Context, log *slog.Logger, id publish.RunID, t publish.Target, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		// Cancelled (River's job timeout, a shutdown): River retries it,
		// unless this was the last attempt, whose check would then hang.
		if lastAttempt(ctx) {
			actx, done := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
			defer done()
			if aerr := p.pub.Abort(actx, id, t, fmt.Errorf("scan interrupted: %w", err)); aerr != nil {
				log.ErrorContext(actx, "abort check run", "err", aerr)
			}
		}
		return cerr
	}
	retry, after := publish.Retryable(err)
	if !retry {
		retry = gh.KindOf(err).Retryable()
	}
	var perm permanent
	if errors.As(err, &perm) {
		retry = false
	}
	if retry && !lastAttempt(ctx) {
		// Not river.JobSnooze(after): a snooze does not count as an
		// attempt, so a job limited for good would never reach its last
		// attempt and its check would hang. Retry-After up to gh's MaxWait
		// is already waited for inside the job; River's backoff (attempt⁴
		// seconds) exceeds the rest within a few attempts.
		log.WarnContext(ctx, "scan failed, will retry", "err", err, "retry_after", after)
		return err
	}
	log.ErrorContext(ctx, "scan failed for good", "err", err)
	if aerr := p.pub.Abort(ctx, id, t, err); aerr != nil {
		log.ErrorContext(ctx, "abort check run", "err", aerr)
		return errors.Join(err, aerr)
	}
	return river.JobCancel(err)
}

// scan is everything up to Publish; begin is the check run being opened,
// expect the event's count of changed files (0: unknown).
func (p *Pipeline) scan(ctx context.Context, log *slog.Logger, begin *later.Value[publish.RunID], t publish.Target, expect int, start time.Time) error {
	c, err := p.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return fmt.Errorf("installation client: %w", err)
	}
	in, err := p.readInputs(ctx, c, &t, expect)
	if err != nil {
		return err
	}
	pr, res, files := in.pr, in.cfg, in.files
	var cfgErrs []string
	if res.LoadErr != nil {
		cfgErrs = append(cfgErrs, res.LoadErr.Error())
	}
	if res.ParseErr != nil {
		cfgErrs = append(cfgErrs, res.ParseErr.Error())
	}
	cfg := res.Config
	noteFiles(ctx, len(files))
	var paths []string
	for _, f := range files {
		paths = append(paths, f.GetFilename())
		if f.GetPreviousFilename() != "" {
			paths = append(paths, f.GetPreviousFilename())
		}
	}
	cs, noPatch, err := changeSet(files, t.BaseSHA, t.HeadSHA)
	if err != nil {
		return permanent{err}
	}
	if _, err := baseBlobs(ctx, c, p.baseIDs, t.Owner, t.Repo, t.BaseSHA, cs); err != nil {
		return err
	}

	igs, accepted, err := p.loadIgnores(ctx, t.Owner+"/"+t.Repo, t.PR)
	if err != nil {
		return err
	}
	engine, err := registry.Engine(cfg, registry.WithCache(p.engineCache()), registry.WithLogger(log),
		registry.WithReadFile(ctx, p.readBase(c, t)), registry.WithBaseline(accepted))
	if err != nil {
		return permanent{err}
	}
	need, reused := toFetch(engine, p.cache, cfg, cs, noPatch)
	ready, release := p.prepublish(ctx, t)
	defer release()
	blobs, st, err := p.fetch(ctx, c, t, pr, need)
	if err != nil {
		return err
	}
	src := &source{blobs: blobs, rest: restBlobs{c: c, owner: t.Owner, repo: t.Repo}}
	for _, f := range cs.Files {
		f.Source = src
	}
	for _, f := range noPatch {
		if _, fetched := blobs[f.HeadBlob]; !fetched {
			continue // skipped by path: the engine will not read it
		}
		if err := addedFromBlobs(ctx, f); err != nil {
			return err
		}
	}
	log.InfoContext(ctx, "fetched blobs", "files", len(cs.Files), "fetched_files", len(need.Files),
		"cached_files", reused, "bytes", st.Bytes, "objects", st.Objects, "fallback", st.Fallback,
		"git_requests", st.Requests, "advert_cached", st.AdvertCached, "took", st.Duration)

	report, err := engine.Run(ctx, cs)
	if err != nil {
		return fmt.Errorf("scan %s: %w", t, err)
	}
	// The summary's "N fetched in T" line reads these two: make them the
	// bytes this job fetched and its whole time, not the engine's bytes
	// scanned and run time.
	report.Stats.Bytes, report.Stats.Duration = st.Bytes, time.Since(start)
	event := publish.Comment
	if strings.EqualFold(cfg.Review.Event, string(publish.RequestChanges)) {
		event = publish.RequestChanges
	}
	failOn := cfg.FailOn
	opt := publish.Options{
		FailOn: &failOn, Event: event, MaxComments: cfg.Review.MaxComments,
		Summary: templates.SummaryOptions{ConfigChanged: repoconfig.ChangedByPR(paths), ConfigErrors: cfgErrs,
			Ignored: markIgnored(report, igs, accepted)},
	}
	pp, err := ready.Wait()
	if err != nil {
		return err
	}
	opt.Prefetched = pp.fetched
	if err := p.stillCurrent(ctx, t); err != nil {
		return err
	}
	id, err := begin.Wait()
	if err != nil {
		return err // Scan reports it
	}
	if err := p.pub.Publish(ctx, id, t, report, cs, opt); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// fetch loads the blobs of cs's files, head and base, in one git fetch
// from the base repository (REST blobs when refused).
func (p *Pipeline) fetch(ctx context.Context, c *github.Client, t publish.Target, pr *github.PullRequest, cs *diff.ChangeSet) (fetch.Blobs, fetch.Stats, error) {
	wants := fetch.Wants(cs, diff.Head, diff.Base)
	if len(wants) == 0 {
		return fetch.Blobs{}, fetch.Stats{}, nil
	}
	// The base repository, also for a fork: GitHub keeps the fork's head
	// commits under the base repository's refs/pull/N/head.
	baseRepo := pr.GetBase().GetRepo()
	remote := baseRepo.GetCloneURL()
	if p.cloneURL != nil {
		remote = p.cloneURL(baseRepo.GetFullName(), remote)
	}
	var load func(stale string) (fetch.Blobs, fetch.Stats, error)
	load = func(stale string) (fetch.Blobs, fetch.Stats, error) {
		tok, err := p.tokens(ctx, t.InstallationID, stale)
		if err != nil {
			return nil, fetch.Stats{}, fmt.Errorf("git token: %w", err)
		}
		opts := []fetch.Option{fetch.WithToken(tok), fetch.WithAdvertCache(p.adverts)}
		if p.http != nil {
			opts = append(opts, fetch.WithHTTPClient(p.http))
		}
		if p.maxBytes > 0 {
			opts = append(opts, fetch.WithMaxBytes(p.maxBytes))
		}
		f, err := fetch.New(remote, opts...)
		if err != nil {
			return nil, fetch.Stats{}, permanent{err}
		}
		blobs, st, err := f.Load(ctx, wants, restBlobs{c: c, owner: t.Owner, repo: t.Repo})
		if he := (*fetch.HTTPError)(nil); stale == "" && errors.As(err, &he) && he.StatusCode == http.StatusUnauthorized {
			// The shared token was revoked or expired early: once more
			// with a new one, as the REST clients do.
			return load(tok)
		}
		return blobs, st, err
	}
	blobs, st, err := load("")
	if err != nil {
		return nil, st, fmt.Errorf("fetch blobs for %s: %w", t, err)
	}
	return blobs, st, nil
}

// readBase reads repository files named by the configuration at the base
// commit.
func (p *Pipeline) readBase(c *github.Client, t publish.Target) registry.ReadFunc {
	return func(ctx context.Context, path string) ([]byte, error) {
		fc, _, _, err := c.Repositories.GetContents(ctx, t.Owner, t.Repo, path, &github.RepositoryContentGetOptions{Ref: t.BaseSHA})
		if err != nil {
			return nil, fmt.Errorf("read %s at base: %w", path, err)
		}
		if fc == nil {
			return nil, fmt.Errorf("read %s at base: not a file", path)
		}
		s, err := fc.GetContent()
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", path, err)
		}
		return []byte(s), nil
	}
}

// restBlobs reads blobs with the installation client (retries and
// metrics included): GET /repos/{owner}/{repo}/git/blobs/{sha}.
type restBlobs struct {
	c           *github.Client
	owner, repo string
}

// GetBlob implements fetch.BlobGetter.
func (r restBlobs) GetBlob(ctx context.Context, id string) ([]byte, error) {
	b, resp, err := r.c.Git.GetBlobRaw(ctx, r.owner, r.repo, id)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%w: %w", fetch.ErrNotFound, err)
		}
		return nil, err
	}
	return b, nil
}

// addedFromBlobs sets the added lines of a file whose patch GitHub
// omitted from its fetched blobs. Only the added lines: GitHub has no diff
// of this file to anchor a review comment to, so without hunks its
// findings become file-level comments. A file that was not fetched (the
// engine skips it by path) keeps no added lines.
func addedFromBlobs(ctx context.Context, f *diff.File) error {
	head, err := f.Content(ctx, diff.Head)
	if errors.Is(err, diff.ErrNoContent) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	var base []byte
	if f.HasBase() && f.BaseBlob != "" {
		if base, err = f.Content(ctx, diff.Base); err != nil && !errors.Is(err, diff.ErrNoContent) {
			return fmt.Errorf("read base of %s: %w", f.Path, err)
		}
	}
	_, f.Added = diff.DiffBlobs(base, head)
	return nil
}

// source is the diff.Source of every file of a scan: the fetched blobs,
// and for a blob the fetch left out (a cached result evicted between the
// fetch and the engine's look-up) one REST read, so a file is never
// skipped for want of content.
type source struct {
	blobs fetch.Blobs
	rest  fetch.BlobGetter
}

var _ diff.Source = (*source)(nil)

// Read implements diff.Source.
func (s *source) Read(ctx context.Context, f *diff.File, side diff.Side) ([]byte, error) {
	b, err := s.blobs.Read(ctx, f, side)
	if !errors.Is(err, diff.ErrNoContent) {
		return b, err
	}
	id := f.HeadBlob
	if side == diff.Base {
		id = f.BaseBlob
	}
	if id == "" || f.Mode.IsSymlink() || f.Mode.IsSubmodule() {
		return nil, diff.ErrNoContent
	}
	return s.rest.GetBlob(ctx, id)
}
