package githubtest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestSecondaryRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t, WithSecondaryLimit(5))
	e.addPR(File{Path: "a.go", Patch: patchFor(1)})
	ctx := context.Background()
	tok := e.s.IssueToken(testInstID)
	comment := func(gh *github.Client) (*github.Response, error) {
		_, resp, err := gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("hi")})
		return resp, err
	}
	gh := tokenClient(t, e.s, tok)
	for i := 0; i < 5; i++ {
		if _, err := comment(gh); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
		e.s.Clock().Advance(time.Second)
	}
	// Reads do not count.
	if _, _, err := gh.Issues.ListComments(ctx, testOwner, testName, 1, nil); err != nil {
		t.Fatalf("list: %v", err)
	}
	resp, err := comment(gh)
	var abuse *github.AbuseRateLimitError
	if !errors.As(err, &abuse) || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("sixth comment: %v; want go-github's AbuseRateLimitError (403)", err)
	}
	// The oldest request leaves the window 55 s from now (5 s elapsed).
	if got := resp.Header.Get("Retry-After"); got != "55" {
		t.Errorf("Retry-After = %q, want 55", got)
	}
	if n := len(e.s.IssueComments(testRepo, 1)); n != 5 {
		t.Errorf("%d comments stored, want 5 (the limited one changes nothing)", n)
	}
	if v := e.s.Violations(); len(v) != 0 {
		t.Errorf("a rate-limited request is not a violation: %v", v)
	}
	// go-github now refuses locally until Retry-After passes in real
	// time; a new client after the fake clock moves on is let through.
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	e.s.Clock().Advance(time.Duration(retry) * time.Second)
	if _, err := comment(tokenClient(t, e.s, tok)); err != nil {
		t.Errorf("after Retry-After: %v", err)
	}
}

func TestSecondaryLimitIsPerInstallation(t *testing.T) {
	t.Parallel()
	e := setup(t, WithSecondaryLimit(1))
	e.s.AddInstallation(Installation{ID: 8, AppID: testAppID, Account: "other"})
	e.s.AddRepo(Repo{Owner: "other", Name: "r", InstallationID: 8})
	e.s.AddPullRequest("other/r", PR{Number: 1, HeadSHA: headSHA, BaseSHA: baseSHA})
	e.addPR()
	ctx := context.Background()
	a, b := tokenClient(t, e.s, e.s.IssueToken(testInstID)), tokenClient(t, e.s, e.s.IssueToken(8))
	if _, _, err := a.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("a")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Issues.CreateComment(ctx, "other", "r", 1, &github.IssueComment{Body: github.String("b")}); err != nil {
		t.Errorf("second installation limited by the first's requests: %v", err)
	}
	// Installation 8 cannot reach installation 7's repository.
	if _, resp, err := b.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("cross-installation access: %v, want 404", err)
	}
}

func TestFaultThenRecovery(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR(File{Path: "a.go", Patch: patchFor(1)})
	e.s.InjectFault("GET", "pulls/list-files", Fault{Status: http.StatusInternalServerError, Times: 1})
	ctx := context.Background()
	_, resp, err := e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, nil)
	if err == nil || resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("first call: %v, want 500", err)
	}
	fs, _, err := e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, nil)
	if err != nil || len(fs) != 1 {
		t.Fatalf("second call: %d files, %v; want success", len(fs), err)
	}
	calls := e.s.Calls("pulls/list-files")
	if len(calls) != 2 || calls[0].Status != 500 || calls[1].Status != 200 {
		t.Errorf("recorded calls = %+v", calls)
	}
}

func TestFaultByPathTemplateAndGlob(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	e.s.InjectFault("", "/repos/{owner}/{repo}/check-runs", Fault{Status: http.StatusBadGateway, Times: 1})
	e.s.InjectFault("POST", "/repos/*/*/issues/1/comments", Fault{Status: http.StatusServiceUnavailable})
	ctx := context.Background()
	if _, resp, err := e.gh.Checks.CreateCheckRun(ctx, testOwner, testName, github.CreateCheckRunOptions{Name: "Picket", HeadSHA: headSHA}); err == nil || resp.StatusCode != http.StatusBadGateway {
		t.Errorf("template fault: %v, want 502", err)
	}
	if len(e.s.CheckRuns(testRepo)) != 0 {
		t.Error("a faulted create stored a check run")
	}
	for i := 0; i < 2; i++ { // Times 0: every call
		if _, resp, err := e.gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err == nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("glob fault %d: %v, want 503", i, err)
		}
	}
	e.s.ClearFaults()
	if _, _, err := e.gh.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestPrimaryRateLimitFault(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	e.s.InjectFault("GET", "pulls/get", Fault{PrimaryRateLimit: true, Times: 1, ResetAfter: 2 * time.Minute})
	_, resp, err := e.gh.PullRequests.Get(context.Background(), testOwner, testName, 1)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want go-github's RateLimitError", err)
	}
	if resp.Header.Get("X-RateLimit-Remaining") != "0" || rl.Rate.Reset.Unix() != e.s.Clock().Now().Add(2*time.Minute).Unix() {
		t.Errorf("headers = %v, reset %v", resp.Header, rl.Rate.Reset)
	}
}

func TestDelayFaultTripsClientTimeout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	e.s.InjectFault("GET", "pulls/get", Fault{Delay: time.Minute, Times: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client has given up; the fake must not hold the test for a minute
	if _, _, err := e.gh.PullRequests.Get(ctx, testOwner, testName, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	deadline, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	e.s.InjectFault("GET", "pulls/get", Fault{Delay: time.Minute, Times: 1})
	if _, _, err := e.gh.PullRequests.Get(deadline, testOwner, testName, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestPrimaryRateLimitBudget(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	ctx := context.Background()
	tok := e.s.IssueToken(testInstID)
	e.s.SetRateRemaining(testInstID, 2)
	// A fresh client per call: go-github itself refuses to send once it
	// has seen Remaining 0, and this test is about the fake.
	get := func() (*github.Response, error) {
		_, resp, err := tokenClient(t, e.s, tok).PullRequests.Get(ctx, testOwner, testName, 1)
		return resp, err
	}
	for want := 1; want >= 0; want-- {
		resp, err := get()
		if err != nil || resp.Rate.Remaining != want {
			t.Fatalf("call with %d left after: remaining %d, %v", want, resp.Rate.Remaining, err)
		}
	}
	rl, _, err := tokenClient(t, e.s, tok).RateLimit.Get(ctx)
	if err != nil || rl.GetCore().Remaining != 0 {
		t.Errorf("rate_limit = %+v, %v; want 0 remaining (and not charged)", rl.GetCore(), err)
	}
	_, err = get()
	var rle *github.RateLimitError
	if !errors.As(err, &rle) || rle.Rate.Reset.Unix() != e.s.Clock().Now().Add(time.Hour).Unix() {
		t.Fatalf("spent budget: %v, want RateLimitError resetting in an hour", err)
	}
	e.s.Clock().Advance(time.Hour)
	tok = e.s.IssueToken(testInstID) // the old one expired with the hour
	if resp, err := get(); err != nil || resp.Rate.Remaining != PrimaryLimit-1 {
		t.Errorf("after the reset: %v", err)
	}
}
