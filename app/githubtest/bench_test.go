package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-github/v62/github"
)

// The fake sits on the path of the app's end-to-end benchmarks, so its
// own cost per call (routing plus request and response validation) is
// measured here. Response checks run after the answer is written, so the
// benchmarks Flush before stopping the clock: they measure the fake's
// whole cost, not just what a client waits for.

func benchEnv(b *testing.B) (*Server, *github.Client) {
	b.Helper()
	s := New(b, WithSecondaryLimit(0)) // measure the fake, not its rate limit
	key, _ := GenerateAppKey(b)
	s.AddApp(testAppID, &key.PublicKey)
	s.AddInstallation(Installation{ID: testInstID, AppID: testAppID})
	s.AddRepo(Repo{Owner: testOwner, Name: testName, InstallationID: testInstID})
	s.AddPullRequest(testRepo, PR{Number: 1, HeadSHA: headSHA, BaseSHA: baseSHA, Files: manyFiles(1000)})
	c := github.NewClient(&http.Client{Transport: &bearer{tok: s.IssueToken(testInstID), base: s.HTTPClient().Transport}})
	u, err := url.Parse(s.BaseURL())
	if err != nil {
		b.Fatal(err)
	}
	c.BaseURL = u
	return s, c
}

func BenchmarkListFilesPage100(b *testing.B) {
	s, gh := benchEnv(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, &github.ListOptions{PerPage: 100, Page: 1 + i%10}); err != nil {
			b.Fatal(err)
		}
	}
	s.Flush()
}

func BenchmarkCreateReview30Comments(b *testing.B) {
	s, gh := benchEnv(b)
	ctx := context.Background()
	var cs []*github.DraftReviewComment
	for i := 0; i < 30; i++ {
		cs = append(cs, &github.DraftReviewComment{Path: github.String(fmt.Sprintf("dir/f%04d.go", i)), Line: github.Int(10), Side: github.String("RIGHT"), Body: github.String("finding")})
	}
	req := &github.PullRequestReviewRequest{Body: github.String("b"), Event: github.String("COMMENT"), Comments: cs}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := gh.PullRequests.CreateReview(ctx, testOwner, testName, 1, req); err != nil {
			b.Fatal(err)
		}
	}
	s.Flush()
}

func BenchmarkUpdateCheckRun50Annotations(b *testing.B) {
	s, gh := benchEnv(b)
	ctx := context.Background()
	run, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testName, github.CreateCheckRunOptions{Name: "Picket", HeadSHA: headSHA})
	if err != nil {
		b.Fatal(err)
	}
	opt := github.UpdateCheckRunOptions{Name: "Picket", Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: annotations(50, "a.go")}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := gh.Checks.UpdateCheckRun(ctx, testOwner, testName, run.GetID(), opt); err != nil {
			b.Fatal(err)
		}
	}
	s.Flush()
}
