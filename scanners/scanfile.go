package scanners

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/picketsec/picket/diff"
)

// scanFile runs every wanting scanner over one changed file and keeps the
// findings the change introduces.
func (e *Engine) scanFile(ctx context.Context, f *diff.File) fileRun {
	run := fileRun{result: FileResult{Path: f.Path, Status: f.Status}, errs: map[string]error{}, ran: map[string]int{}}
	if skip := e.checkPath(f); skip != nil {
		run.result.Outcome, run.result.Skip = Skipped, skip
		return run
	}
	wanting := e.wanting(f)
	key := e.cacheKey(f, wanting)
	if cached, ok := e.cacheGet(ctx, key); ok {
		run.result.Outcome, run.result.Bytes = Reused, cached.Bytes
		for _, s := range wanting {
			run.ran[s.Name()] = 0
		}
		e.applyPolicy(&run, cached.Findings, cached.Suppressed)
		return run
	}
	head, err := f.Content(ctx, diff.Head)
	if err == nil {
		if skip := e.limits.CheckContent(head); skip != nil {
			run.result.Outcome, run.result.Skip = Skipped, skip
			return run
		}
	} else {
		if ctx.Err() == nil {
			e.log.WarnContext(ctx, "read file", "path", f.Path, "err", err)
		}
		run.result.Outcome, run.result.Skip = Skipped, &diff.SkipReason{Code: diff.SkipError, Detail: err.Error()}
		return run
	}
	run.result.Outcome, run.result.Bytes = Scanned, int64(len(head))
	base := lazyBase{f: f}
	var all []Finding
	for _, s := range wanting {
		fs, err := e.scanBoth(ctx, s, f, head, &base)
		if ctx.Err() != nil {
			return run
		}
		run.ran[s.Name()] = len(fs)
		if err != nil {
			run.errs[s.Name()] = err
			e.log.WarnContext(ctx, "scan file", "scanner", s.Name(), "path", f.Path, "err", err)
		}
		all = append(all, fs...)
	}
	kept, suppressed := e.inline(f, splitLines(head), all)
	if key.HeadBlob != "" && len(run.errs) == 0 {
		e.cache.Put(ctx, key, CachedFile{Findings: kept, Suppressed: suppressed, Bytes: run.result.Bytes})
	}
	e.applyPolicy(&run, kept, suppressed)
	return run
}

// checkPath applies the change model's skips and the policy's excludes.
func (e *Engine) checkPath(f *diff.File) *diff.SkipReason {
	if f.Skipped != nil {
		return f.Skipped
	}
	if skip := e.limits.CheckPath(f); skip != nil {
		return skip
	}
	for _, g := range e.policy.Exclude {
		if ok, _ := doublestar.Match(g, f.Path); ok {
			return &diff.SkipReason{Code: diff.SkipExcluded, Detail: "matches exclude " + strconv.Quote(g)}
		}
	}
	return nil
}

func (e *Engine) wanting(f *diff.File) []Scanner {
	var out []Scanner
	for _, s := range e.scanners {
		if s.Wants(f) {
			out = append(out, s)
		}
	}
	return out
}

func (e *Engine) cacheKey(f *diff.File, wanting []Scanner) CacheKey {
	if e.cache == nil || f.HeadBlob == "" || f.Partial {
		return CacheKey{}
	}
	names := make([]string, len(wanting))
	for i, s := range wanting {
		names[i] = s.Name() + "@" + strconv.Itoa(s.Version())
	}
	sort.Strings(names)
	return CacheKey{Path: f.Path, HeadBlob: f.HeadBlob, BaseBlob: f.BaseBlob, Scanners: strings.Join(names, ",")}
}

func (e *Engine) cacheGet(ctx context.Context, key CacheKey) (CachedFile, bool) {
	if key.HeadBlob == "" {
		return CachedFile{}, false
	}
	v, ok := e.cache.Get(ctx, key)
	if !ok {
		return CachedFile{}, false
	}
	// Refresh rule metadata: docs may have changed without a version bump.
	for i := range v.Findings {
		if r, known := e.rules[v.Findings[i].Rule.ID]; known {
			v.Findings[i].Rule = r
		}
	}
	return v, true
}

// lazyBase reads the base version at most once, and only when needed.
type lazyBase struct {
	f       *diff.File
	content []byte
	err     error
	done    bool
}

func (b *lazyBase) get(ctx context.Context) ([]byte, error) {
	if !b.done {
		b.content, b.err = b.f.Content(ctx, diff.Base)
		b.done = true
	}
	return b.content, b.err
}

// scanBoth scans the head, and the base when the head has findings, and
// returns the head findings the base does not already have, fingerprinted.
func (e *Engine) scanBoth(ctx context.Context, s Scanner, f *diff.File, head []byte, base *lazyBase) ([]Finding, error) {
	headF, err := e.scanSide(ctx, s, f, diff.Head, f.Path, head)
	if err != nil || len(headF) == 0 {
		return nil, err
	}
	var baseF []Finding
	if f.HasBase() {
		content, err := base.get(ctx)
		switch {
		case err == nil:
			baseF, err = e.scanSide(ctx, s, f, diff.Base, f.BasePath(), content)
			if err != nil {
				return nil, fmt.Errorf("base: %w", err)
			}
		case errors.Is(err, diff.ErrNoContent):
			// No base bytes (a unified diff without a repository): every head
			// finding counts as new; the added-line filter still applies below.
		default:
			return nil, err
		}
	}
	return introduced(f, headF, baseF), nil
}

// scanSide runs one scanner on one version and drops disabled rules.
func (e *Engine) scanSide(ctx context.Context, s Scanner, f *diff.File, side diff.Side, path string, content []byte) ([]Finding, error) {
	fs, err := safeScan(ctx, s, Input{File: f, Side: side, Path: path, Content: content})
	if err != nil {
		return nil, err
	}
	out := fs[:0]
	for _, x := range fs {
		r, ok := e.rules[x.Rule.ID]
		if !ok {
			return nil, fmt.Errorf("scanner %s reported unknown rule %q", s.Name(), x.Rule.ID)
		}
		if e.policy.disabled(r.ID) {
			continue
		}
		x.Rule, x.Path = r, f.Path
		if x.Range.EndLine < x.Range.StartLine {
			x.Range.EndLine = x.Range.StartLine
		}
		out = append(out, x)
	}
	return out, nil
}

// safeScan calls s.Scan and turns a panic into an error against the file:
// one bad input must not take down a whole review (or the server). The
// panic value is not included, since it may quote file content.
func safeScan(ctx context.Context, s Scanner, in Input) (fs []Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			fs, err = nil, fmt.Errorf("scanner %s crashed on this file (%T); please report it", s.Name(), r)
		}
	}()
	return s.Scan(ctx, in)
}
