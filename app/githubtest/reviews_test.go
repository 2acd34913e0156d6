package githubtest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// A patch with one hunk: old lines 10-13, new lines 10-14.
//
//	old 10 ctx   new 10
//	old 11 del
//	           + new 11
//	           + new 12
//	old 12 ctx   new 13
//	old 13 ctx   new 14
//
// and a second hunk at old 40 / new 41.
const twoHunks = "@@ -10,4 +10,5 @@ func f() {\n" +
	" ctx10\n" +
	"-old11\n" +
	"+new11\n" +
	"+new12\n" +
	" ctx12\n" +
	" ctx13\n" +
	"@@ -40,2 +41,3 @@ func g() {\n" +
	" ctx40\n" +
	"+new42\n" +
	" ctx41"

func TestCheckAnchor(t *testing.T) {
	t.Parallel()
	hunks, err := parsePatch(twoHunks)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a    anchor
		ok   bool
	}{
		{"right on added", anchor{line: 11, side: "RIGHT"}, true},
		{"right default side", anchor{line: 12}, true},
		{"right on context", anchor{line: 13, side: "RIGHT"}, true},
		{"left on deleted", anchor{line: 11, side: "LEFT"}, true},
		{"left on context", anchor{line: 12, side: "LEFT"}, true},
		{"left on a line only the new side has", anchor{line: 14, side: "LEFT"}, false},
		{"right outside the hunks", anchor{line: 30, side: "RIGHT"}, false},
		{"right in second hunk", anchor{line: 42, side: "RIGHT"}, true},
		{"range in one hunk", anchor{startLine: 10, line: 12, side: "RIGHT"}, true},
		{"range across hunks", anchor{startLine: 12, line: 42, side: "RIGHT"}, false},
		{"range reversed", anchor{startLine: 13, line: 11, side: "RIGHT"}, false},
		{"range from left deleted to right added", anchor{startLine: 11, startSide: "LEFT", line: 12, side: "RIGHT"}, true},
		{"position in first hunk", anchor{position: 2}, true},
		{"position of second header", anchor{position: 7}, false},
		{"position in second hunk", anchor{position: 9}, true},
		{"position past the end", anchor{position: 11}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkAnchor(hunks, tc.a)
			if (err == nil) != tc.ok {
				t.Errorf("checkAnchor(%+v) = %v, want ok %v", tc.a, err, tc.ok)
			}
		})
	}
}

func TestDiffHunkEndsAtCommentedLine(t *testing.T) {
	t.Parallel()
	hunks, err := parsePatch(twoHunks)
	if err != nil {
		t.Fatal(err)
	}
	got, err := checkAnchor(hunks, anchor{line: 11, side: "RIGHT"})
	want := "@@ -10,4 +10,5 @@ func f() {\n ctx10\n-old11\n+new11"
	if err != nil || got != want {
		t.Errorf("diff hunk = %q, %v; want %q", got, err, want)
	}
}

func reviewEnv(t *testing.T, opts ...Option) *env {
	e := setup(t, opts...)
	e.addPR(File{Path: "a.go", Patch: twoHunks}, File{Path: "big.bin", Status: "added"})
	return e
}

func TestReviewWithValidComments(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	ctx := context.Background()
	rv, _, err := e.gh.PullRequests.CreateReview(ctx, testOwner, testName, 1, &github.PullRequestReviewRequest{
		CommitID: github.String(headSHA), Body: github.String("Picket found 3 issues"), Event: github.String("COMMENT"),
		Comments: []*github.DraftReviewComment{
			{Path: github.String("a.go"), Line: github.Int(11), Side: github.String("RIGHT"), Body: github.String("secret")},
			{Path: github.String("a.go"), StartLine: github.Int(10), Line: github.Int(12), Side: github.String("RIGHT"), Body: github.String("range")},
			{Path: github.String("a.go"), Line: github.Int(11), Side: github.String("LEFT"), Body: github.String("removed check")},
		},
	})
	if err != nil {
		t.Fatalf("CreateReview: %v", err)
	}
	if rv.GetState() != "COMMENTED" {
		t.Errorf("state = %q, want COMMENTED", rv.GetState())
	}
	cs := e.s.Comments(testRepo, 1)
	if len(cs) != 3 || cs[0].ReviewID != rv.GetID() || cs[1].StartLine != 10 || cs[2].Side != "LEFT" {
		t.Fatalf("stored comments = %+v", cs)
	}
	listed, _, err := e.gh.PullRequests.ListComments(ctx, testOwner, testName, 1, nil)
	if err != nil || len(listed) != 3 || listed[1].GetStartLine() != 10 || listed[0].GetLine() != 11 {
		t.Fatalf("ListComments = %d, %v", len(listed), err)
	}
	if !strings.HasSuffix(listed[0].GetDiffHunk(), "+new11") {
		t.Errorf("diff_hunk = %q, want it to end at the commented line", listed[0].GetDiffHunk())
	}
	reviews, _, err := e.gh.PullRequests.ListReviews(ctx, testOwner, testName, 1, nil)
	if err != nil || len(reviews) != 1 {
		t.Errorf("ListReviews = %d, %v", len(reviews), err)
	}
}

func TestReviewOffDiffRejectsWholeReview(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		comment *github.DraftReviewComment
	}{
		{"line outside hunks", &github.DraftReviewComment{Path: github.String("a.go"), Line: github.Int(30), Side: github.String("RIGHT"), Body: github.String("x")}},
		{"left on added-only line", &github.DraftReviewComment{Path: github.String("a.go"), Line: github.Int(14), Side: github.String("LEFT"), Body: github.String("x")}},
		{"range across hunks", &github.DraftReviewComment{Path: github.String("a.go"), StartLine: github.Int(12), Line: github.Int(42), Side: github.String("RIGHT"), Body: github.String("x")}},
		{"file not in the pull request", &github.DraftReviewComment{Path: github.String("other.go"), Line: github.Int(11), Body: github.String("x")}},
		{"file without patch", &github.DraftReviewComment{Path: github.String("big.bin"), Line: github.Int(1), Body: github.String("x")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := reviewEnv(t, ExpectViolations())
			good := &github.DraftReviewComment{Path: github.String("a.go"), Line: github.Int(11), Body: github.String("fine")}
			_, resp, err := e.gh.PullRequests.CreateReview(context.Background(), testOwner, testName, 1, &github.PullRequestReviewRequest{
				Body: github.String("b"), Event: github.String("COMMENT"), Comments: []*github.DraftReviewComment{good, tc.comment},
			})
			if err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("CreateReview: %v; want 422", err)
			}
			if n, m := len(e.s.Reviews(testRepo, 1)), len(e.s.Comments(testRepo, 1)); n != 0 || m != 0 {
				t.Errorf("after a rejected review: %d reviews, %d comments stored; want none", n, m)
			}
			if len(e.s.Violations()) != 1 {
				t.Errorf("violations = %v, want 1", e.s.Violations())
			}
		})
	}
}

func TestReviewFileLevelComment(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	// go-github v62's DraftReviewComment has no subject_type, so send the
	// request body by hand through the same client.
	req, err := e.gh.NewRequest("POST", "repos/"+testRepo+"/pulls/1/reviews", map[string]any{
		"body": "outside the diff", "event": "COMMENT",
		"comments": []map[string]any{{"path": "big.bin", "subject_type": "file", "body": "found in the file, outside the diff"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.gh.Do(context.Background(), req, nil); err != nil {
		t.Fatalf("file-level review: %v", err)
	}
	cs := e.s.Comments(testRepo, 1)
	if len(cs) != 1 || cs[0].SubjectType != "file" || cs[0].Line != 0 {
		t.Errorf("stored = %+v, want one file-level comment", cs)
	}
}

func TestReviewCommentReplyUpdateDelete(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	ctx := context.Background()
	c, _, err := e.gh.PullRequests.CreateComment(ctx, testOwner, testName, 1, &github.PullRequestComment{
		CommitID: github.String(headSHA), Path: github.String("a.go"), Line: github.Int(42), Side: github.String("RIGHT"), Body: github.String("one"),
	})
	if err != nil {
		t.Fatalf("CreateComment: %v", err)
	}
	r, _, err := e.gh.PullRequests.CreateCommentInReplyTo(ctx, testOwner, testName, 1, "fixed in 3333", c.GetID())
	if err != nil || r.GetInReplyTo() != c.GetID() {
		t.Fatalf("reply = %v, %v", r.GetInReplyTo(), err)
	}
	if _, _, err := e.gh.PullRequests.EditComment(ctx, testOwner, testName, c.GetID(), &github.PullRequestComment{Body: github.String("edited")}); err != nil {
		t.Fatalf("EditComment: %v", err)
	}
	if _, err := e.gh.PullRequests.DeleteComment(ctx, testOwner, testName, r.GetID()); err != nil {
		t.Fatalf("DeleteComment: %v", err)
	}
	cs := e.s.Comments(testRepo, 1)
	if len(cs) != 1 || cs[0].Body != "edited" {
		t.Errorf("comments = %+v, want the edited root only", cs)
	}
}

func TestEditingAPersonsCommentIsViolation(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t, ExpectViolations())
	ctx := context.Background()
	c, _, err := e.gh.PullRequests.CreateComment(ctx, testOwner, testName, 1, &github.PullRequestComment{
		CommitID: github.String(headSHA), Path: github.String("a.go"), Line: github.Int(11), Body: github.String("bot"),
	})
	if err != nil {
		t.Fatal(err)
	}
	reply := e.s.AddReply(testRepo, 1, c.GetID(), "alice", "this is a false positive")
	_, resp, err := e.gh.PullRequests.EditComment(ctx, testOwner, testName, reply, &github.PullRequestComment{Body: github.String("x")})
	if err == nil || resp.StatusCode != http.StatusForbidden || len(e.s.Violations()) != 1 {
		t.Errorf("editing alice's reply: %v, violations %v; want 403 and one violation", err, e.s.Violations())
	}
}

func TestCommentsFollowPushes(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	ctx := context.Background()
	var ids []int64
	for _, line := range []int{11, 42} { // "+new11" and "+new42"
		c, _, err := e.gh.PullRequests.CreateComment(ctx, testOwner, testName, 1, &github.PullRequestComment{
			CommitID: github.String(headSHA), Path: github.String("a.go"), Line: github.Int(line), Body: github.String("finding"),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.GetID())
	}
	// A push that shifts new11 down by two lines and drops new42.
	e.s.AddPullRequest(testRepo, PR{Number: 1, HeadSHA: "3333333333333333333333333333333333333333", BaseSHA: baseSHA, Files: []File{{
		Path: "a.go", Patch: "@@ -10,4 +10,7 @@ func f() {\n ctx10\n-old11\n+pad1\n+pad2\n+new11\n+new12\n ctx12\n ctx13",
	}}})
	cs, _, err := e.gh.PullRequests.ListComments(ctx, testOwner, testName, 1, nil)
	if err != nil || len(cs) != 2 {
		t.Fatalf("ListComments = %d, %v", len(cs), err)
	}
	if cs[0].GetLine() != 13 || cs[0].GetOriginalLine() != 11 {
		t.Errorf("moved comment: line %d (original %d), want 13 (11)", cs[0].GetLine(), cs[0].GetOriginalLine())
	}
	if cs[1].Line != nil || cs[1].GetOriginalLine() != 42 {
		t.Errorf("comment on a removed line: line %v (original %d), want none (42)", cs[1].Line, cs[1].GetOriginalLine())
	}
	var outdated struct {
		Data struct {
			Repository struct {
				PullRequest struct {
					ReviewThreads struct {
						Nodes []struct {
							IsOutdated bool `json:"isOutdated"`
						} `json:"nodes"`
					} `json:"reviewThreads"`
				} `json:"pullRequest"`
			} `json:"repository"`
		} `json:"data"`
	}
	graphql(t, e.gh, `query { repository(owner: "octo-org", name: "hello") { pullRequest(number: 1) { reviewThreads(first: 10) { nodes { isOutdated } } } } }`, nil, &outdated)
	n := outdated.Data.Repository.PullRequest.ReviewThreads.Nodes
	if len(n) != 2 {
		t.Fatalf("threads = %+v", outdated)
	}
	if n[0].IsOutdated || !n[1].IsOutdated {
		t.Errorf("isOutdated = %v, %v; want false, true", n[0].IsOutdated, n[1].IsOutdated)
	}
}

func TestReviewOnEarlierCommitAfterPush(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	const newHead = "4444444444444444444444444444444444444444"
	e.s.AddPullRequest(testRepo, PR{Number: 1, HeadSHA: newHead, BaseSHA: baseSHA, Files: []File{{Path: "a.go", Patch: twoHunks}}})
	// A job still finishing for the older head posts against it.
	_, _, err := e.gh.PullRequests.CreateReview(context.Background(), testOwner, testName, 1, &github.PullRequestReviewRequest{
		CommitID: github.String(headSHA), Body: github.String("b"), Event: github.String("COMMENT"),
	})
	if err != nil {
		t.Errorf("review on the pull request's earlier commit: %v", err)
	}
}
