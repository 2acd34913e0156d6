package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/publish"
)

// HeadFunc returns the newest recorded head of a pull request ("" when it
// closed); known is false when none is recorded. store.Store.Head is one.
type HeadFunc func(ctx context.Context, repo string, pr int) (head string, known bool, err error)

// WithHeads makes the pipeline check, just before publishing, that the
// head it scanned is still the pull request's newest: a scan overtaken by
// a push while it ran closes its check run as superseded instead of
// posting a review the newer scan would partly repeat.
func WithHeads(f HeadFunc) Option { return func(p *Pipeline) { p.heads = f } }

// supersededError is a scan overtaken by a newer head or a close.
type supersededError struct{ why string }

func (e supersededError) Error() string { return e.why }

// stillCurrent returns a supersededError when the head of t is no longer
// the newest of its pull request.
func (p *Pipeline) stillCurrent(ctx context.Context, t publish.Target) error {
	if p.heads == nil {
		return nil
	}
	head, known, err := p.heads(ctx, t.Owner+"/"+t.Repo, t.PR)
	switch {
	case err != nil:
		return fmt.Errorf("read the newest head: %w", err)
	case known && head == "":
		return supersededError{fmt.Sprintf("%s/%s#%d was closed", t.Owner, t.Repo, t.PR)}
	case known && !strings.EqualFold(head, t.HeadSHA):
		return supersededError{fmt.Sprintf("%s/%s#%d: head %.12s superseded by %.12s", t.Owner, t.Repo, t.PR, t.HeadSHA, head)}
	}
	return nil
}

// Superseded implements jobs.Superseder: it completes the head's open
// check run (opened by an earlier attempt, or by this one before a push
// overtook it) as neutral, saying why, and opens nothing.
func (p *Pipeline) Superseded(ctx context.Context, a jobs.ScanArgs, why string) error {
	c, ok := p.pub.(publish.Closer)
	if !ok {
		return nil
	}
	owner, name, _ := strings.Cut(a.Repo, "/")
	t := publish.Target{Owner: owner, Repo: name, PR: a.PR, HeadSHA: a.HeadSHA, BaseSHA: a.BaseSHA, InstallationID: a.InstallationID}
	summary := "Picket stopped scanning this commit: " + why + ". The newest commit's Picket check has the result."
	return c.CloseOpen(ctx, t, "Superseded by a newer commit", summary)
}
