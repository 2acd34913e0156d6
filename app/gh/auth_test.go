package gh

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/githubtest"
)

func TestConcurrentCallsShareOneToken(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithClock(time.Now))
	ctx := context.Background()
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := 0; i < 8; i++ {
			wg.Go(func() {
				c, _ := e.f.Installation(ctx, testInstID)
				if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	run()
	// Every request now meets a 401 at about the same time: the first to
	// report it replaces the token; the others reuse the replacement.
	e.s.Clock().Advance(githubtest.TokenTTL + time.Minute)
	run()
	if n := len(e.s.Calls("apps/create-installation-access-token")); n != 2 {
		t.Errorf("%d token requests for 16 calls across one expiry, want 2", n)
	}
}

func TestTokenFetchFailureRetriedEvenForPOST(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.s.InjectFault("POST", "apps/create-installation-access-token", githubtest.Fault{Status: http.StatusBadGateway, Times: 1})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	// The comment itself was never sent when the token failed, so
	// sending it after a new token cannot duplicate it.
	if _, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.s.IssueComments(testRepo, 1)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
	if n := len(e.s.Calls("apps/create-installation-access-token")); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

func TestLogsAndErrorsHoldNoToken(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	e := setup(t, nil, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithClock(time.Now))
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{Status: http.StatusServiceUnavailable})
	e.s.InjectFault("POST", "issues/create-comment", githubtest.Fault{Status: http.StatusUnauthorized, Message: "Bad credentials"})
	_, _, err1 := c.PullRequests.Get(ctx, testOwner, testName, 1)
	_, _, err2 := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("body-marker")})
	if err1 == nil || err2 == nil {
		t.Fatalf("errors = %v, %v; want both calls to fail", err1, err2)
	}
	if !strings.Contains(buf.String(), "github request retried") {
		t.Errorf("no retry logged: %q", buf.String())
	}
	for _, s := range []string{buf.String(), err1.Error(), err2.Error()} {
		for _, bad := range []string{"ghs_", "Bearer", "body-marker"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q leaks %q", s, bad)
			}
		}
	}
}
