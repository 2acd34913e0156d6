package pipeline

import (
	"context"
	"fmt"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// Ignore is a "/picket ignore" decision as the pipeline applies it.
type Ignore struct {
	// PR is the pull request it was made on; 0 means the whole repository.
	PR int
	// ID is a finding's short id (a fingerprint prefix of at least 8 hex
	// digits) or its whole fingerprint.
	ID     string
	Reason string
	By     string // GitHub login
}

// Ignores loads the ignores that apply to pull request pr of repo
// (owner/name): its own and the repository's. The server adapts the
// store to it. An error is retried by River like a transient GitHub
// failure (the last attempt completes the check run neutral), since
// scanning without the ignores would report accepted findings again.
type Ignores interface {
	Ignores(ctx context.Context, repo string, pr int) ([]Ignore, error)
}

// WithIgnores applies the ignores of src at every scan: an ignored
// finding does not count toward the conclusion, gets no comment, and is
// listed in the summary under "Ignored" with who and why.
func WithIgnores(src Ignores) Option { return func(p *Pipeline) { p.ignores = src } }

// loadIgnores reads the ignores of t's pull request as an engine
// baseline: the engine's accepted-fingerprint mechanism (full
// fingerprint or a prefix of at least 8 hex digits) hides them, as a
// baseline file does for `picket scan`. Without a source it returns nil,
// which accepts nothing.
func (p *Pipeline) loadIgnores(ctx context.Context, repo string, pr int) ([]Ignore, *scanners.Baseline, error) {
	if p.ignores == nil {
		return nil, nil, nil
	}
	igs, err := p.ignores.Ignores(ctx, repo, pr)
	if err != nil {
		// Transient for the retry decision: scanning without the ignores
		// would report accepted findings again, and a database blip passes.
		return nil, nil, fmt.Errorf("load ignores of %s#%d: %w", repo, pr, &gh.Error{Kind: gh.Transient, Op: "load ignores", Err: err})
	}
	if len(igs) == 0 {
		return nil, nil, nil
	}
	b := &scanners.Baseline{Version: 1}
	// The pull request's own ignores first: when both scopes accept a
	// finding, the summary names the narrower decision.
	for _, repoWide := range []bool{false, true} {
		for _, ig := range igs {
			if (ig.PR == 0) == repoWide {
				b.Add(scanners.BaselineEntry{Fingerprint: scanners.Fingerprint(ig.ID), Reason: ig.Reason, By: ig.By})
			}
		}
	}
	return igs, b, nil
}

// markIgnored relabels the findings the ignores' baseline suppressed as
// templates.SuppressedByIgnore and returns their summary lines. The
// pipeline passes no other baseline to the engine, so every "baseline"
// suppression it finds accepted by b is an ignore.
func markIgnored(r *scanners.Report, igs []Ignore, b *scanners.Baseline) []templates.IgnoredView {
	if b == nil {
		return nil
	}
	var out []templates.IgnoredView
	for i, s := range r.Suppressed {
		if s.By != "baseline" {
			continue
		}
		entry, ok := b.Accepts(s.Finding.Fingerprint)
		if !ok {
			continue
		}
		ig := find(igs, string(entry.Fingerprint))
		r.Suppressed[i].By, r.Suppressed[i].Reason = templates.SuppressedByIgnore, ig.Reason
		out = append(out, templates.IgnoredView{
			ID: s.Finding.Fingerprint.Short(), RuleID: s.Finding.Rule.ID, Path: s.Finding.Path, Line: s.Finding.Range.StartLine,
			By: ig.By, Reason: ig.Reason, Repo: ig.PR == 0,
		})
	}
	return out
}

// find returns the ignore with id, preferring the pull request's own (the
// order loadIgnores gave the baseline).
func find(igs []Ignore, id string) Ignore {
	var found Ignore
	for _, ig := range igs {
		if ig.ID == id {
			if ig.PR != 0 {
				return ig
			}
			found = ig
		}
	}
	return found
}
