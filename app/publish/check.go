package publish

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// AnnotationBatch is the most annotations GitHub accepts per create or
// update request; more are sent in further updates, which append
// (https://docs.github.com/rest/checks/runs#update-a-check-run).
const AnnotationBatch = 50

const (
	maxAnnotationTitle   = 255
	maxAnnotationMessage = 64 << 10
	maxAbortReason       = 2000
)

// Checks publishes a scan as the "Picket" check run.
type Checks struct {
	clients Clients
	state   State
	now     func() time.Time
	// done holds the runs Begin found completed by an earlier attempt of
	// the same job (a crash after the conclusion was sent, before River
	// recorded the job done): Publish and Abort leave them alone.
	done sync.Map // RunID → struct{}; rare (one per crash), never pruned
}

// externalID names the job that opened a run; "" outside River.
func externalID(t Target) string {
	if t.Job == 0 {
		return ""
	}
	return "picket-job:" + strconv.FormatInt(t.Job, 10)
}

var _ Publisher = (*Checks)(nil)

// NewChecks returns a check-run publisher.
func NewChecks(clients Clients, state State) *Checks {
	return &Checks{clients: clients, state: state, now: time.Now}
}

// Begin opens the check run in_progress, or reuses the one already open
// for this head (a retried job). A stored run that has completed, or that
// already carries annotations from an interrupted Publish, is not reused:
// annotations append, so reusing it would show them twice. The exception
// is a run completed by an earlier attempt of the same job: its result is
// out, so Begin returns it and Publish and Abort skip it (a new run
// would show the head's result twice).
func (c *Checks) Begin(ctx context.Context, t Target) (RunID, error) {
	gh, err := c.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return 0, fmt.Errorf("begin check for %s: %w", t, err)
	}
	id, ok, err := c.state.CheckRun(ctx, t.FullName(), t.HeadSHA)
	if err != nil {
		return 0, fmt.Errorf("begin check for %s: load run id: %w", t, err)
	}
	if !ok && t.Retry && externalID(t) != "" {
		// An earlier attempt may have died between creating the run and
		// storing its id: find it by the job's external_id.
		runs, err := c.headRuns(ctx, gh, t)
		if err != nil {
			return 0, fmt.Errorf("begin check for %s: %w", t, err)
		}
		for _, r := range runs {
			if r.GetExternalID() == externalID(t) {
				id, ok = r.GetID(), true
				if err := c.state.SetCheckRun(ctx, t.FullName(), t.HeadSHA, id); err != nil {
					return 0, fmt.Errorf("begin check for %s: store run id: %w", t, err)
				}
				break
			}
		}
	}
	if ok {
		run, resp, err := gh.Checks.GetCheckRun(ctx, t.Owner, t.Repo, id)
		switch {
		case err != nil && resp != nil && resp.StatusCode == http.StatusNotFound:
			// Gone (deleted with its suite): open a new one below.
		case err != nil:
			return 0, fmt.Errorf("begin check for %s: get run %d: %w", t, id, err)
		case run.GetStatus() == "completed" && externalID(t) != "" && run.GetExternalID() == externalID(t):
			c.done.Store(RunID(id), struct{}{})
			return RunID(id), nil
		case run.GetStatus() != "completed" && run.GetOutput().GetAnnotationsCount() == 0:
			return RunID(id), nil
		case run.GetStatus() != "completed":
			if err := c.complete(ctx, gh, t, id, "neutral", "Superseded", "A newer run of Picket replaced this one."); err != nil {
				return 0, fmt.Errorf("begin check for %s: close interrupted run: %w", t, err)
			}
		}
	}
	opts := github.CreateCheckRunOptions{
		Name:      CheckName,
		HeadSHA:   t.HeadSHA,
		Status:    github.String("in_progress"),
		StartedAt: &github.Timestamp{Time: c.now()},
	}
	if ext := externalID(t); ext != "" {
		opts.ExternalID = &ext
	}
	run, _, err := gh.Checks.CreateCheckRun(ctx, t.Owner, t.Repo, opts)
	if err != nil {
		return 0, fmt.Errorf("begin check for %s: create run: %w", t, err)
	}
	if err := c.state.SetCheckRun(ctx, t.FullName(), t.HeadSHA, run.GetID()); err != nil {
		return 0, fmt.Errorf("begin check for %s: store run id: %w", t, err)
	}
	return RunID(run.GetID()), nil
}

// Publish completes the run: success or failure by the fail-on
// threshold, the title and summary from templates, every finding as an
// annotation in batches of 50 and the Re-scan button. All but the last
// batch go out while the run is still in progress, so the conclusion
// arrives with the complete set.
func (c *Checks) Publish(ctx context.Context, id RunID, t Target, r *scanners.Report, _ *diff.ChangeSet, opt Options) error {
	gh, err := c.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return fmt.Errorf("publish check for %s: %w", t, err)
	}
	if id == 0 {
		if id, err = c.Begin(ctx, t); err != nil {
			return fmt.Errorf("publish check for %s: %w", t, err)
		}
	}
	if _, done := c.done.Load(id); done {
		return nil // completed by an earlier attempt of this job
	}
	so := opt.Summary
	so.FailOn = opt.failOn()
	view := templates.NewSummary(r, so)
	title, err := templates.RenderTitle(view)
	if err != nil {
		return fmt.Errorf("publish check for %s: %w", t, err)
	}
	summary, err := templates.RenderSummary(view)
	if err != nil {
		return fmt.Errorf("publish check for %s: %w", t, err)
	}
	conclusion := "success"
	if view.Failing > 0 {
		conclusion = "failure"
	}
	anns := Annotations(r.Findings)
	for i := 0; ; i += AnnotationBatch {
		batch := anns[i:min(i+AnnotationBatch, len(anns))]
		last := i+AnnotationBatch >= len(anns)
		upd := github.UpdateCheckRunOptions{
			Name:   CheckName,
			Output: &github.CheckRunOutput{Title: &title, Summary: &summary, Annotations: batch},
		}
		if opt.DetailsURL != "" {
			upd.DetailsURL = &opt.DetailsURL
		}
		if last {
			upd.Conclusion = &conclusion
			upd.CompletedAt = &github.Timestamp{Time: c.now()}
			upd.Actions = rescanAction()
		}
		if _, _, err := gh.Checks.UpdateCheckRun(ctx, t.Owner, t.Repo, int64(id), upd); err != nil {
			return fmt.Errorf("publish check for %s: annotations %d-%d: %w", t, i, i+len(batch), err)
		}
		if last {
			return nil
		}
	}
}

// Abort completes the run as neutral with the cause as its reason. With
// id 0 (Begin failed or never ran) it opens a run first, so the pull
// request still shows why there is no result.
func (c *Checks) Abort(ctx context.Context, id RunID, t Target, cause error) error {
	gh, err := c.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return fmt.Errorf("abort check for %s: %w", t, err)
	}
	if _, done := c.done.Load(id); done && id != 0 {
		return nil // the run already carries this job's result
	}
	if id == 0 {
		// Begin never succeeded; open a run now so the failure shows.
		if id, err = c.Begin(ctx, t); err != nil {
			return fmt.Errorf("abort check for %s: %w", t, err)
		}
	}
	reason := "unknown error"
	if cause != nil {
		reason = truncate(cause.Error(), maxAbortReason)
	}
	summary, err := templates.Render(templates.Aborted, templates.AbortView{Reason: reason})
	if err != nil {
		return fmt.Errorf("abort check for %s: %w", t, err)
	}
	if err := c.complete(ctx, gh, t, int64(id), "neutral", "Scan could not complete", summary); err != nil {
		return fmt.Errorf("abort check for %s: %w", t, err)
	}
	return nil
}

// CloseOpen implements Closer: it completes the head's stored run as
// neutral when it is still open, and opens nothing.
func (c *Checks) CloseOpen(ctx context.Context, t Target, title, summary string) error {
	id, ok, err := c.state.CheckRun(ctx, t.FullName(), t.HeadSHA)
	if err != nil {
		return err
	}
	gh, err := c.clients.Installation(ctx, t.InstallationID)
	if err != nil {
		return fmt.Errorf("close check for %s: %w", t, err)
	}
	if !ok {
		// No id stored: an attempt may have died between creating the
		// run and storing it. Close whatever Picket run is open there.
		runs, err := c.headRuns(ctx, gh, t)
		if err != nil {
			return fmt.Errorf("close check for %s: %w", t, err)
		}
		for _, r := range runs {
			if r.GetStatus() != "completed" {
				if err := c.complete(ctx, gh, t, r.GetID(), "neutral", title, summary); err != nil {
					return fmt.Errorf("close check for %s: %w", t, err)
				}
			}
		}
		return nil
	}
	run, resp, err := gh.Checks.GetCheckRun(ctx, t.Owner, t.Repo, id)
	switch {
	case err != nil && resp != nil && resp.StatusCode == http.StatusNotFound:
		return nil
	case err != nil:
		return fmt.Errorf("close check for %s: get run %d: %w", t, id, err)
	case run.GetStatus() == "completed":
		return nil
	}
	if err := c.complete(ctx, gh, t, id, "neutral", title, summary); err != nil {
		return fmt.Errorf("close check for %s: %w", t, err)
	}
	return nil
}

// headRuns lists the head's check runs named Picket (one page of 100:
// a head has a handful).
func (c *Checks) headRuns(ctx context.Context, gh *github.Client, t Target) ([]*github.CheckRun, error) {
	res, _, err := gh.Checks.ListCheckRunsForRef(ctx, t.Owner, t.Repo, t.HeadSHA, &github.ListCheckRunsOptions{
		CheckName: github.String(CheckName), ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, fmt.Errorf("list check runs of the head: %w", err)
	}
	return res.CheckRuns, nil
}

func (c *Checks) complete(ctx context.Context, gh *github.Client, t Target, id int64, conclusion, title, summary string) error {
	_, _, err := gh.Checks.UpdateCheckRun(ctx, t.Owner, t.Repo, id, github.UpdateCheckRunOptions{
		Name:        CheckName,
		Conclusion:  &conclusion,
		CompletedAt: &github.Timestamp{Time: c.now()},
		Output:      &github.CheckRunOutput{Title: &title, Summary: &summary},
		Actions:     rescanAction(),
	})
	return err
}

func rescanAction() []*github.CheckRunAction {
	return []*github.CheckRunAction{{Label: "Re-scan", Description: "Scan this pull request again", Identifier: RescanAction}}
}

// Annotations turns findings into check-run annotations: failure for
// high and critical, warning for medium, notice below. Only the redacted
// evidence is shown.
func Annotations(fs []scanners.Finding) []*github.CheckRunAnnotation {
	out := make([]*github.CheckRunAnnotation, 0, len(fs))
	for _, f := range fs {
		start := max(1, f.Range.StartLine)
		end := max(start, f.Range.EndLine)
		msg := f.Message
		if ev := f.Evidence.String(); ev != "" {
			msg += " Evidence: " + ev + "."
		}
		msg += " (id " + f.Fingerprint.Short() + "; /picket ignore " + f.Fingerprint.Short() + " <reason>)"
		a := &github.CheckRunAnnotation{
			Path:            github.String(f.Path),
			StartLine:       github.Int(start),
			EndLine:         github.Int(end),
			AnnotationLevel: github.String(level(f.Severity)),
			Title:           github.String(truncate(f.Severity.String()+": "+f.Rule.Title, maxAnnotationTitle)),
			Message:         github.String(truncate(msg, maxAnnotationMessage)),
		}
		if f.Rule.Why != "" || f.Rule.Fix != "" {
			a.RawDetails = github.String(truncate("Why: "+f.Rule.Why+"\nFix: "+f.Rule.Fix, maxAnnotationMessage))
		}
		if start == end && f.Range.StartCol > 0 && f.Range.EndCol >= f.Range.StartCol {
			a.StartColumn, a.EndColumn = github.Int(f.Range.StartCol), github.Int(f.Range.EndCol)
		}
		out = append(out, a)
	}
	return out
}

func level(s scanners.Severity) string {
	switch {
	case s >= scanners.High:
		return "failure"
	case s == scanners.Medium:
		return "warning"
	}
	return "notice"
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
