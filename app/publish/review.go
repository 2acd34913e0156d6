package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// Reviews publishes a scan as one pull-request review with inline
// comments, file-level comments for findings that cannot anchor, and
// resolves the threads of findings that are gone.
type Reviews struct {
	clients Clients
	state   State
	log     *slog.Logger
	bot     string // login of the app's bot user; "" trusts markers from anyone
}

// ReviewOption configures NewReviews.
type ReviewOption func(*Reviews)

// WithBotLogin names the app's bot user ("picket[bot]"). Markers are then
// honoured only in comments and reviews that user wrote, so a person who
// pastes a marker can neither hide a finding nor have their own thread
// resolved by Picket.
func WithBotLogin(login string) ReviewOption { return func(r *Reviews) { r.bot = login } }

var _ Publisher = (*Reviews)(nil)

// NewReviews returns a review publisher; log may be nil.
func NewReviews(clients Clients, state State, log *slog.Logger, opts ...ReviewOption) *Reviews {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Reviews{clients: clients, state: state, log: log}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Begin implements Publisher; reviews have nothing to open.
func (*Reviews) Begin(context.Context, Target) (RunID, error) { return 0, nil }

// Abort implements Publisher; a failed scan posts no review.
func (*Reviews) Abort(context.Context, RunID, Target, error) error { return nil }

// plan is what one Publish will post.
type plan struct {
	inline   []*github.DraftReviewComment
	inlineFP []scanners.Fingerprint
	files    []fileComment
	extra    []templates.FindingView
	unplaced []templates.FindingView
	worst    scanners.Severity // of the new findings; meaningful when any
	any      bool
}

type fileComment struct {
	fp   scanners.Fingerprint
	path string
	body string
}

// Publish posts what is new and resolves what is gone:
//
//   - a finding whose fingerprint already has a comment (stored id or
//     hidden marker) or was listed in an earlier review body is skipped,
//     wherever its line moved;
//   - a new finding whose range AnchorOK accepts becomes an inline comment
//     (line/side RIGHT, start_line for ranges), up to MaxComments;
//   - a new finding in a changed file that cannot anchor becomes a
//     file-level comment (subject_type: file, posted alone because a
//     review cannot carry one); it is an annotation too;
//   - the rest (beyond the cap, or in files the pull request does not
//     touch) are listed in the review body;
//   - no review is posted when there is nothing new.
//
// Then every Picket thread whose finding is gone is resolved, unless a
// person replied to it.
func (rv *Reviews) Publish(ctx context.Context, _ RunID, t Target, r *scanners.Report, cs *diff.ChangeSet, opt Options) error {
	gh, err := rv.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return fmt.Errorf("publish review for %s: %w", t, err)
	}
	var have *posted
	if pre := opt.Prefetched.postedFor(rv, t); pre != nil {
		have, err = pre.Wait()
	} else {
		have, err = loadPosted(ctx, gh, t, rv.bot)
	}
	if err != nil {
		return fmt.Errorf("publish review for %s: %w", t, err)
	}
	stored, err := rv.state.Comments(ctx, t.FullName(), t.PR)
	if err != nil {
		return fmt.Errorf("publish review for %s: load comment ids: %w", t, err)
	}
	// Repair the store from the markers: a crash between posting and
	// storing leaves a comment the store does not know.
	for fp, c := range have.roots {
		if stored[fp] != c.GetID() {
			if err := rv.state.SetComment(ctx, t.FullName(), t.PR, fp, c.GetID()); err != nil {
				return fmt.Errorf("publish review for %s: store comment id: %w", t, err)
			}
		}
	}
	p, err := rv.plan(r, cs, opt, func(fp scanners.Fingerprint) bool {
		_, ok := stored[fp]
		return ok || have.known(fp)
	})
	if err != nil {
		return fmt.Errorf("publish review for %s: %w", t, err)
	}
	if err := rv.post(ctx, gh, t, p, opt); err != nil {
		return fmt.Errorf("publish review for %s: %w", t, err)
	}
	if err := rv.resolveGone(ctx, gh, t, r, have); err != nil {
		return fmt.Errorf("publish review for %s: %w", t, err)
	}
	if r.CountAtOrAbove(opt.failOn()) == 0 {
		if err := rv.dismiss(ctx, gh, t, have.blocking, opt); err != nil {
			return fmt.Errorf("publish review for %s: %w", t, err)
		}
	}
	return nil
}

// event is the review's event: RequestChanges only when configured and
// a new finding reaches the fail-on threshold; Comment otherwise, so that
// low-severity notes never block a merge.
func event(p *plan, opt Options) string {
	if opt.event() == string(RequestChanges) && (!p.any || p.worst < opt.failOn()) {
		return string(Comment)
	}
	return opt.event()
}

// dismiss withdraws Picket's earlier requests for changes once nothing
// at or above the threshold is left; otherwise they would block the merge
// for findings that are fixed.
func (rv *Reviews) dismiss(ctx context.Context, gh *github.Client, t Target, ids []int64, opt Options) error {
	if len(ids) == 0 {
		return nil
	}
	msg, err := templates.Render(templates.Dismiss, templates.DismissView{SHA: t.HeadSHA, FailOn: opt.failOn().String()})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, _, err := gh.PullRequests.DismissReview(ctx, t.Owner, t.Repo, t.PR, id, &github.PullRequestReviewDismissalRequest{Message: github.String(msg)}); err != nil {
			return fmt.Errorf("dismiss review %d: %w", id, err)
		}
	}
	return nil
}

// plan sorts the new findings into inline, file-level and listed.
func (rv *Reviews) plan(r *scanners.Report, cs *diff.ChangeSet, opt Options, known func(scanners.Fingerprint) bool) (*plan, error) {
	p := &plan{}
	seen := map[scanners.Fingerprint]bool{}
	budget := opt.maxComments()
	for _, f := range r.Findings {
		if known(f.Fingerprint) || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		p.worst, p.any = max(p.worst, f.Severity), true
		var file *diff.File
		if cs != nil {
			file = cs.File(f.Path)
		}
		if file == nil || file.Status == diff.Deleted {
			p.unplaced = append(p.unplaced, templates.NewFinding(f))
			continue
		}
		if budget == 0 {
			p.extra = append(p.extra, templates.NewFinding(f))
			continue
		}
		budget--
		start, end, ok := anchor(file, f)
		if !ok {
			body, err := templates.Render(templates.Comment, templates.NewComment(f, 0, 0))
			if err != nil {
				return nil, err
			}
			p.files = append(p.files, fileComment{fp: f.Fingerprint, path: f.Path, body: body})
			continue
		}
		body, err := templates.Render(templates.Comment, templates.NewComment(f, start, end))
		if err != nil {
			return nil, err
		}
		c := &github.DraftReviewComment{Path: github.String(f.Path), Body: github.String(body), Line: github.Int(end), Side: github.String("RIGHT")}
		if start < end {
			c.StartLine, c.StartSide = github.Int(start), github.String("RIGHT")
		}
		p.inline = append(p.inline, c)
		p.inlineFP = append(p.inlineFP, f.Fingerprint)
	}
	return p, nil
}

// anchor picks head lines for an inline comment: the finding's whole
// range if it lies in one hunk, else its first line. A finding whose
// lines are not in the diff cannot anchor (GitHub would reject the whole
// review with 422).
func anchor(file *diff.File, f scanners.Finding) (start, end int, ok bool) {
	start, end = f.Range.StartLine, max(f.Range.StartLine, f.Range.EndLine)
	if start < 1 {
		return 0, 0, false
	}
	if file.AnchorOK(start, end) {
		return start, end, true
	}
	if file.AnchorOK(start, start) {
		return start, start, true
	}
	return 0, 0, false
}

// post sends the review, then the file-level comments, storing each id.
func (rv *Reviews) post(ctx context.Context, gh *github.Client, t Target, p *plan, opt Options) error {
	if len(p.inline) > 0 || len(p.extra) > 0 || len(p.unplaced) > 0 {
		body, err := templates.RenderReview(templates.ReviewView{
			Inline: len(p.inline) + len(p.files), Extra: p.extra, Unplaced: p.unplaced, MaxInline: opt.maxComments(),
		})
		if err != nil {
			return err
		}
		review, _, err := gh.PullRequests.CreateReview(ctx, t.Owner, t.Repo, t.PR, &github.PullRequestReviewRequest{
			CommitID: github.String(t.HeadSHA),
			Body:     github.String(body),
			Event:    github.String(event(p, opt)),
			Comments: p.inline,
		})
		if err != nil {
			return fmt.Errorf("create review with %d comments: %w", len(p.inline), err)
		}
		if err := rv.storeReviewComments(ctx, gh, t, review.GetID()); err != nil {
			return err
		}
	}
	for _, fc := range p.files {
		c, _, err := gh.PullRequests.CreateComment(ctx, t.Owner, t.Repo, t.PR, &github.PullRequestComment{
			CommitID:    github.String(t.HeadSHA),
			Path:        github.String(fc.path),
			Body:        github.String(fc.body),
			SubjectType: github.String("file"),
		})
		if err != nil {
			return fmt.Errorf("create file-level comment on %s: %w", fc.path, err)
		}
		if err := rv.state.SetComment(ctx, t.FullName(), t.PR, fc.fp, c.GetID()); err != nil {
			return fmt.Errorf("store comment id: %w", err)
		}
	}
	return nil
}

// storeReviewComments maps the new review's comments to fingerprints by
// their markers: the create-review answer carries no comment ids, and
// the contract has no per-review comment list, so the pull request's
// comments are read and filtered by review id.
func (rv *Reviews) storeReviewComments(ctx context.Context, gh *github.Client, t Target, reviewID int64) error {
	opt := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := gh.PullRequests.ListComments(ctx, t.Owner, t.Repo, t.PR, opt)
		if err != nil {
			return fmt.Errorf("list comments of review %d: %w", reviewID, err)
		}
		for _, c := range cs {
			if c.GetPullRequestReviewID() != reviewID || c.InReplyTo != nil {
				continue
			}
			if fp, ok := templates.ParseMarker(c.GetBody()); ok {
				if err := rv.state.SetComment(ctx, t.FullName(), t.PR, fp, c.GetID()); err != nil {
					return fmt.Errorf("store comment id: %w", err)
				}
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
}

// resolveGone resolves the thread of every Picket comment whose finding
// is no longer reported, unless a person replied in it or its file was
// skipped this time (a skipped file proves nothing). Replies are checked
// twice: in the comments Publish read, and in the threads read here,
// just before resolving. When resolving fails, it edits the comment to
// say the finding was fixed instead.
func (rv *Reviews) resolveGone(ctx context.Context, gh *github.Client, t Target, r *scanners.Report, have *posted) error {
	current := map[scanners.Fingerprint]bool{}
	for _, f := range r.Findings {
		current[f.Fingerprint] = true
	}
	skipped := map[string]bool{}
	for _, f := range r.Files {
		if f.Outcome == scanners.Skipped {
			skipped[f.Path] = true
		}
	}
	var gone []*github.PullRequestComment
	for fp, c := range have.roots {
		if current[fp] || have.replied[c.GetID()] || skipped[c.GetPath()] || templates.IsMarkedFixed(c.GetBody()) {
			continue
		}
		gone = append(gone, c)
	}
	if len(gone) == 0 {
		return nil
	}
	threads, err := reviewThreads(ctx, gh, t)
	if err != nil {
		if retry, _ := Retryable(err); retry {
			return err
		}
		// Best effort: without GraphQL (a token lacking the scope, a
		// GHES without the mutation) the comments are edited instead.
		rv.log.WarnContext(ctx, "list review threads failed; marking fixed findings by editing their comments", "err", err)
	}
	var errs []error
	for _, c := range gone {
		th, ok := threads[c.GetID()]
		if ok && (th.resolved || th.replied) {
			// replied: answered since the comments were read (they may
			// have been prefetched before the scan).
			continue
		}
		if ok {
			if err := resolveThread(ctx, gh, th.id); err == nil {
				continue
			} else if ok, _ := Retryable(err); ok {
				errs = append(errs, err)
				continue
			}
		}
		if err := rv.markFixed(ctx, gh, t, c); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// markFixed edits a comment to say its finding is gone as of the head.
func (rv *Reviews) markFixed(ctx context.Context, gh *github.Client, t Target, c *github.PullRequestComment) error {
	body, err := templates.Render(templates.Fixed, templates.FixedView{SHA: t.HeadSHA, Body: c.GetBody()})
	if err != nil {
		return err
	}
	if _, _, err := gh.PullRequests.EditComment(ctx, t.Owner, t.Repo, c.GetID(), &github.PullRequestComment{Body: github.String(body)}); err != nil {
		return fmt.Errorf("mark comment %d fixed: %w", c.GetID(), err)
	}
	return nil
}
