package event

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/command"
	"github.com/picketsec/picket/app/commands"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/webhook"
)

// commentEvent is the part of an issue_comment payload routing reads.
// go-github v62's IssueComment lacks performed_via_github_app, which
// GitHub sets on comments an app posts through its installation token.
type commentEvent struct {
	github.IssueCommentEvent
	Comment *struct {
		github.IssueComment
		PerformedVia *struct {
			ID int64 `json:"id"`
		} `json:"performed_via_github_app"`
	} `json:"comment"`
}

// issueComment maps a newly created pull-request comment holding a
// /picket command to a commands.CommandArgs job. Edits and deletions are
// ignored (an edited comment must not run its command again), as are
// comments on plain issues, comments by bots and comments this app wrote
// (its replies quote usage, and a bot loop must be impossible).
func issueComment(d webhook.Delivery, o Options) (jobs.Plan, error) {
	var ev commentEvent
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return jobs.Plan{}, fmt.Errorf("%w: issue_comment: %v", webhook.ErrInvalidPayload, err)
	}
	if ev.GetAction() != "created" || ev.Comment == nil {
		return jobs.Plan{}, nil
	}
	issue, repo := ev.GetIssue(), ev.GetRepo().GetFullName()
	if issue == nil || issue.PullRequestLinks == nil {
		return jobs.Plan{}, nil // a plain issue, not a pull request
	}
	c := ev.Comment
	if isBot(ev.GetSender()) || isBot(c.GetUser()) || (c.PerformedVia != nil && (o.AppID == 0 || c.PerformedVia.ID == o.AppID)) {
		return jobs.Plan{}, nil
	}
	args, ok := commands.FromParse(command.Parse(c.GetBody()))
	if !ok {
		return jobs.Plan{}, nil
	}
	if repo == "" || issue.GetNumber() == 0 || c.GetID() == 0 || c.GetUser().GetLogin() == "" {
		return jobs.Plan{}, fmt.Errorf("%w: issue_comment without repository, number, comment id or author", webhook.ErrInvalidPayload)
	}
	args.InstallationID = ev.GetInstallation().GetID()
	args.Repo, args.PR, args.CommentID = repo, issue.GetNumber(), c.GetID()
	args.CommentAt = c.GetCreatedAt().Time
	args.Author, args.DeliveryID = c.GetUser().GetLogin(), d.ID
	return jobs.Plan{Jobs: []river.JobArgs{args}}, nil
}

// isBot reports whether a user is a bot account (GitHub Apps and
// machine users marked as such).
func isBot(u *github.User) bool {
	return strings.EqualFold(u.GetType(), "Bot")
}
