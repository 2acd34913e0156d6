package event

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/webhook"
)

// CheckName is the name of Picket's check run.
const CheckName = "Picket"

// RescanAction is the identifier of the check run's "Re-scan" button.
const RescanAction = "rescan"

// checkRun maps the Re-run button (rerequested) and the Re-scan button
// (requested_action "rescan") on Picket's own check run to a scan of the
// same head.
func checkRun(ctx context.Context, d webhook.Delivery, o Options) (jobs.Plan, error) {
	var ev github.CheckRunEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: check_run: %v", webhook.ErrInvalidPayload, err)
	}
	run := ev.GetCheckRun()
	switch ev.GetAction() {
	case "rerequested":
	case "requested_action":
		if ev.GetRequestedAction().Identifier != RescanAction {
			return jobs.Plan{}, nil
		}
	default:
		return jobs.Plan{}, nil
	}
	if run.GetName() != CheckName || !ours(o, run.GetApp()) {
		return jobs.Plan{}, nil
	}
	return rescan(ctx, o, d, ev.GetRepo().GetFullName(), ev.GetInstallation().GetID(), run.GetHeadSHA(), run.PullRequests, "rerun")
}

// checkSuite maps "Re-run all checks" (rerequested) to a scan. The suite's
// "requested" action, sent on every push, is deliberately ignored: the
// pull_request event of the same push already queued the scan, and a
// second scan of a finished head would open a second check run.
func checkSuite(ctx context.Context, d webhook.Delivery, o Options) (jobs.Plan, error) {
	var ev github.CheckSuiteEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: check_suite: %v", webhook.ErrInvalidPayload, err)
	}
	suite := ev.GetCheckSuite()
	if ev.GetAction() != "rerequested" || !ours(o, suite.GetApp()) {
		return jobs.Plan{}, nil
	}
	return rescan(ctx, o, d, ev.GetRepo().GetFullName(), ev.GetInstallation().GetID(), suite.GetHeadSHA(), suite.PullRequests, "rerun-suite")
}

func ours(o Options, app *github.App) bool {
	return o.AppID == 0 || app.GetID() == o.AppID
}

// rescan plans one scan per pull request at head sha: those the event
// names, or, for fork heads (GitHub sends none), those whose newest
// recorded head is sha.
func rescan(ctx context.Context, o Options, d webhook.Delivery, repo string, inst int64, sha string, prs []*github.PullRequest, reason string) (jobs.Plan, error) {
	if repo == "" || sha == "" {
		return jobs.Plan{}, fmt.Errorf("%w: %s without repository or head sha", webhook.ErrInvalidPayload, d.Event)
	}
	var numbers []int
	base := map[int]string{}
	for _, pr := range prs {
		if pr.GetHead().GetSHA() == sha {
			numbers = append(numbers, pr.GetNumber())
			base[pr.GetNumber()] = pr.GetBase().GetSHA()
		}
	}
	if len(numbers) == 0 && o.Lookup != nil {
		found, err := o.Lookup(ctx, repo, sha)
		if err != nil {
			return jobs.Plan{}, fmt.Errorf("map %s at %.12s to its pull request: %w", repo, sha, err)
		}
		numbers = found
	}
	var plan jobs.Plan
	for _, n := range numbers {
		plan.Jobs = append(plan.Jobs, jobs.ScanArgs{InstallationID: inst, Repo: repo, PR: n, HeadSHA: sha,
			BaseSHA: base[n], Reason: reason, DeliveryID: d.ID})
	}
	return plan, nil
}

var _ river.JobArgs = jobs.ScanArgs{}
