package commands

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/templates"
)

// react adds a reaction of this app to the command comment. GitHub
// answers 200 with the existing reaction when the app already reacted so,
// which makes a retry harmless.
func (r *run) react(ctx context.Context, content string) error {
	if _, _, err := r.c.Reactions.CreateIssueCommentReaction(ctx, r.owner, r.name, r.a.CommentID, content); err != nil {
		return fmt.Errorf("react %s to comment %d: %w", content, r.a.CommentID, err)
	}
	return nil
}

// permission is the collaborator permission answer; go-github v62 does
// not decode role_name, which names maintain and custom roles.
type permission struct {
	Permission string `json:"permission"` // admin, write, read, none (maintain reads as write, triage as read)
	RoleName   string `json:"role_name"`  // admin, maintain, write, triage, read or a custom role
}

// mayRun reports whether the comment's author may run commands: write,
// maintain or admin on the repository, by the legacy permission or the
// role name. A user GitHub does not know (404) may not.
func (r *run) mayRun(ctx context.Context) (bool, error) {
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", r.owner, r.name, r.a.Author)
	req, err := r.c.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return false, fmt.Errorf("permission of %s: %w", r.a.Author, err)
	}
	var p permission
	resp, err := r.c.Do(ctx, req, &p)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, fmt.Errorf("permission of %s on %s: %w", r.a.Author, r.a.Repo, err)
	}
	return Allowed(p.Permission, p.RoleName), nil
}

// Allowed reports whether a collaborator permission answer lets its user
// run commands: write, maintain or admin.
func Allowed(permission, roleName string) bool {
	switch strings.ToLower(permission) {
	case "admin", "write":
		return true
	}
	switch strings.ToLower(roleName) {
	case "admin", "maintain", "write":
		return true
	}
	return false
}

// reply answers the command comment once: when an earlier attempt of the
// job already posted the reply (found by its hidden marker among the
// app's comments written since the command), it is not posted again.
func (r *run) reply(ctx context.Context, v templates.ReplyView) error {
	v.User, v.CommentID = r.a.Author, r.a.CommentID
	body, err := templates.Render(templates.Reply, v)
	if err != nil {
		return err
	}
	_, done, err := r.earlierReply(ctx)
	if err != nil {
		return err
	}
	if done {
		return nil
	}
	if _, _, err := r.c.Issues.CreateComment(ctx, r.owner, r.name, r.a.PR, &github.IssueComment{Body: github.String(body)}); err != nil {
		return fmt.Errorf("reply to comment %d: %w", r.a.CommentID, err)
	}
	return nil
}

// earlierReply looks for the app's reply to the command among the pull
// request's comments written since the command (GitHub's since filter)
// and returns its body.
func (r *run) earlierReply(ctx context.Context) (body string, found bool, err error) {
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	if !r.a.CommentAt.IsZero() {
		since := r.a.CommentAt
		opt.Since = &since
	}
	for {
		cs, resp, err := r.c.Issues.ListComments(ctx, r.owner, r.name, r.a.PR, opt)
		if err != nil {
			return "", false, fmt.Errorf("list comments of %s#%d: %w", r.a.Repo, r.a.PR, err)
		}
		for _, c := range cs {
			if r.ours(c.GetUser()) && templates.RepliesTo(c.GetBody(), r.a.CommentID) {
				return c.GetBody(), true, nil
			}
		}
		if resp.NextPage == 0 {
			return "", false, nil
		}
		opt.Page = resp.NextPage
	}
}

func (r *run) ours(u *github.User) bool {
	if r.w.BotLogin != "" {
		return strings.EqualFold(u.GetLogin(), r.w.BotLogin)
	}
	return strings.EqualFold(u.GetType(), "Bot")
}

// reported reports whether id (a short id or a fingerprint) names a
// finding Picket reported on this pull request: an inline or file-level
// comment's marker, or a review body's listed findings. A typo then gets
// an answer instead of an ignore that matches nothing.
func (r *run) reported(ctx context.Context, id string) (bool, error) {
	match := func(fp string) bool {
		return strings.HasPrefix(fp, id) || strings.HasPrefix(id, fp)
	}
	copt := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := r.c.PullRequests.ListComments(ctx, r.owner, r.name, r.a.PR, copt)
		if err != nil {
			return false, fmt.Errorf("list review comments of %s#%d: %w", r.a.Repo, r.a.PR, err)
		}
		for _, c := range cs {
			if fp, ok := templates.ParseMarker(c.GetBody()); ok && r.ours(c.GetUser()) && match(string(fp)) {
				return true, nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		copt.Page = resp.NextPage
	}
	ropt := &github.ListOptions{PerPage: 100}
	for {
		rs, resp, err := r.c.PullRequests.ListReviews(ctx, r.owner, r.name, r.a.PR, ropt)
		if err != nil {
			return false, fmt.Errorf("list reviews of %s#%d: %w", r.a.Repo, r.a.PR, err)
		}
		for _, rv := range rs {
			if !templates.IsPicketReview(rv.GetBody()) || !r.ours(rv.GetUser()) {
				continue
			}
			for _, fp := range templates.ParseMarkers(rv.GetBody()) {
				if match(string(fp)) {
					return true, nil
				}
			}
			for _, short := range templates.ParseListed(rv.GetBody()) {
				if match(short) {
					return true, nil
				}
			}
		}
		if resp.NextPage == 0 {
			return false, nil
		}
		ropt.Page = resp.NextPage
	}
}
