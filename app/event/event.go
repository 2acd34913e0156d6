// Package event decides what each webhook delivery means: it decodes the
// payload with go-github's event types, filters, and returns a jobs.Plan.
// It never calls GitHub; the work happens in jobs.
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

// Events lists the X-GitHub-Event values Picket records; others are
// acknowledged with 202 and dropped by the webhook handler.
var Events = []string{"pull_request", "check_run", "check_suite", "issue_comment", "installation", "installation_repositories", "ping"}

// Options tune routing.
type Options struct {
	// Drafts makes draft pull requests be scanned (default: wait for
	// ready_for_review). Repository config may not override this: it is
	// read at scan time, after routing.
	Drafts bool
	// AppID is this app's id: check_run and check_suite events of other
	// apps are ignored, and so are comments this app posted. Zero accepts
	// any check (the app id is not known) and ignores every comment an
	// app posted.
	AppID int64
	// Lookup maps a head SHA to the open pull requests whose newest head
	// it is, for check events that carry no pull requests (fork heads).
	// Nil means such events are ignored.
	Lookup func(ctx context.Context, repo, sha string) ([]int, error)
}

// Router returns a jobs.Router for the handled events.
func Router(o Options) jobs.Router {
	return func(ctx context.Context, d webhook.Delivery) (jobs.Plan, error) {
		switch d.Event {
		case "pull_request":
			return pullRequest(d, o)
		case "check_run":
			return checkRun(ctx, d, o)
		case "check_suite":
			return checkSuite(ctx, d, o)
		case "issue_comment":
			return issueComment(d, o)
		case "installation":
			return installation(d)
		case "installation_repositories":
			return installationRepos(d)
		case "ping":
			return jobs.Plan{}, nil
		}
		return jobs.Plan{}, nil
	}
}

// pullRequest maps opened, synchronize, reopened and ready_for_review to a
// scan of the head, and closed to superseding all queued work.
func pullRequest(d webhook.Delivery, o Options) (jobs.Plan, error) {
	var ev github.PullRequestEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: pull_request: %v", webhook.ErrInvalidPayload, err)
	}
	pr, repo := ev.GetPullRequest(), ev.GetRepo().GetFullName()
	if pr == nil || repo == "" || pr.GetNumber() == 0 || pr.GetHead().GetSHA() == "" {
		return jobs.Plan{}, fmt.Errorf("%w: pull_request without repository, number or head sha", webhook.ErrInvalidPayload)
	}
	head := jobs.Head{Repo: repo, PR: pr.GetNumber(), SHA: pr.GetHead().GetSHA()}
	switch ev.GetAction() {
	case "closed":
		head.SHA = ""
		return jobs.Plan{Heads: []jobs.Head{head}}, nil
	case "opened", "synchronize", "reopened", "ready_for_review":
	default:
		return jobs.Plan{}, nil
	}
	if pr.GetDraft() && !o.Drafts {
		return jobs.Plan{Heads: []jobs.Head{head}}, nil
	}
	args := jobs.ScanArgs{
		InstallationID: ev.GetInstallation().GetID(), Repo: repo, PR: pr.GetNumber(),
		HeadSHA: head.SHA, BaseSHA: pr.GetBase().GetSHA(), Reason: ev.GetAction(), DeliveryID: d.ID,
		Files: pr.GetChangedFiles(),
	}
	return jobs.Plan{Heads: []jobs.Head{head}, Jobs: []river.JobArgs{args}}, nil
}
