package githubtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestIssueCommentsAndReactions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	ctx := context.Background()
	cmd := e.s.AddIssueComment(testRepo, 1, "alice", "/picket rescan")
	for _, content := range []string{"eyes", "rocket", "eyes"} {
		if _, _, err := e.gh.Reactions.CreateIssueCommentReaction(ctx, testOwner, testName, cmd, content); err != nil {
			t.Fatalf("reaction %s: %v", content, err)
		}
	}
	c, _, err := e.gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("Rescanning.")})
	if err != nil {
		t.Fatal(err)
	}
	if c.GetUser().GetLogin() != "picket[bot]" || c.GetUser().GetType() != "Bot" {
		t.Errorf("author = %s (%s), want picket[bot] (Bot)", c.GetUser().GetLogin(), c.GetUser().GetType())
	}
	if _, _, err := e.gh.Issues.EditComment(ctx, testOwner, testName, c.GetID(), &github.IssueComment{Body: github.String("Rescanned.")}); err != nil {
		t.Fatal(err)
	}
	list, _, err := e.gh.Issues.ListComments(ctx, testOwner, testName, 1, nil)
	if err != nil || len(list) != 2 || list[1].GetBody() != "Rescanned." {
		t.Fatalf("ListComments = %d, %v", len(list), err)
	}
	got := e.s.IssueComments(testRepo, 1)
	if len(got[0].Reactions) != 2 {
		t.Errorf("reactions = %+v, want eyes and rocket once each", got[0].Reactions)
	}
	e.s.Clock().Advance(time.Hour)
	since := e.s.Clock().Now()
	list, _, err = e.gh.Issues.ListComments(ctx, testOwner, testName, 1, &github.IssueListCommentsOptions{Since: &since})
	if err == nil && len(list) != 0 {
		t.Errorf("since now: %d comments, want 0", len(list))
	}
}

func TestInvalidReactionIsRejected(t *testing.T) {
	t.Parallel()
	e := setup(t, ExpectViolations())
	e.addPR()
	cmd := e.s.AddIssueComment(testRepo, 1, "alice", "/picket help")
	_, resp, err := e.gh.Reactions.CreateIssueCommentReaction(context.Background(), testOwner, testName, cmd, "thumbsup")
	if err == nil || resp.StatusCode != http.StatusUnprocessableEntity || len(e.s.Violations()) != 1 {
		t.Errorf("thumbsup: %v, violations %v; want 422 and one violation", err, e.s.Violations())
	}
}

func TestCollaboratorPermission(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct{ level, legacy string }{
		{PermAdmin, "admin"}, {PermMaintain, "write"}, {PermWrite, "write"},
		{PermTriage, "read"}, {PermRead, "read"}, {PermNone, "none"},
	}
	for _, tc := range tests {
		e.s.SetPermission(testRepo, "user-"+tc.level, tc.level)
	}
	for _, tc := range tests {
		t.Run(tc.level, func(t *testing.T) {
			p, _, err := e.gh.Repositories.GetPermissionLevel(context.Background(), testOwner, testName, "user-"+tc.level)
			if err != nil {
				t.Fatal(err)
			}
			if p.GetPermission() != tc.legacy || p.GetUser().GetRoleName() != tc.level {
				t.Errorf("permission = %q, role %q; want %q, %q", p.GetPermission(), p.GetUser().GetRoleName(), tc.legacy, tc.level)
			}
		})
	}
	p, _, err := e.gh.Repositories.GetPermissionLevel(context.Background(), testOwner, testName, "stranger")
	if err != nil || p.GetPermission() != "none" {
		t.Errorf("stranger = %q, %v; want none", p.GetPermission(), err)
	}
}

func TestSARIFUploadAndRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	_, _, err := e.gh.CodeScanning.UploadSarif(ctx, testOwner, testName, &github.SarifAnalysis{
		CommitSHA: github.String(headSHA), Ref: github.String("refs/pull/1/head"), Sarif: github.String("H4sIAAAAAAAA"),
	})
	// go-github reports the 202 as an AcceptedError.
	if _, ok := err.(*github.AcceptedError); err != nil && !ok {
		t.Fatalf("UploadSarif: %v", err)
	}
	ups := e.s.SARIFUploads()
	if len(ups) != 1 || ups[0].CommitSHA != headSHA || ups[0].Ref != "refs/pull/1/head" {
		t.Errorf("uploads = %+v", ups)
	}
	rl, _, err := e.gh.RateLimit.Get(ctx)
	if err != nil || rl.GetCore().Limit != 5000 {
		t.Errorf("RateLimit = %v, %v", rl, err)
	}
}

func TestCommentBodyLimit(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t, ExpectViolations())
	ctx := context.Background()
	long := github.String(strings.Repeat("é", 65537))
	if _, resp, err := e.gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: long}); err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("issue comment of 65,537 characters: %v, want 422", err)
	}
	if _, resp, err := e.gh.PullRequests.CreateReview(ctx, testOwner, testName, 1, &github.PullRequestReviewRequest{
		Event: github.String("COMMENT"), Body: github.String("b"),
		Comments: []*github.DraftReviewComment{{Path: github.String("a.go"), Line: github.Int(11), Body: long}},
	}); err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("review comment of 65,537 characters: %v, want 422", err)
	}
	exact := github.String(strings.Repeat("é", 65536))
	if _, _, err := e.gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: exact}); err != nil {
		t.Errorf("issue comment of exactly 65,536 characters: %v", err)
	}
	if n := len(e.s.Violations()); n != 2 {
		t.Errorf("violations = %d, want 2", n)
	}
}
