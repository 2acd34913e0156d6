package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestRetryable(t *testing.T) {
	t.Parallel()
	resp := func(code int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: code, Header: h, Request: &http.Request{Method: "GET", URL: &url.URL{}}}
	}
	wait := 42 * time.Second
	cases := []struct {
		name  string
		err   error
		retry bool
		wait  time.Duration
	}{
		{"nil", nil, false, 0},
		{"abuse with retry-after", fmt.Errorf("post: %w", &github.AbuseRateLimitError{Response: resp(403, ""), RetryAfter: &wait}), true, wait},
		{"abuse without retry-after", &github.AbuseRateLimitError{Response: resp(403, "")}, true, time.Minute},
		{"server error", &github.ErrorResponse{Response: resp(502, "")}, true, 0},
		{"429 with retry-after", &github.ErrorResponse{Response: resp(429, "7")}, true, 7 * time.Second},
		{"validation failed", &github.ErrorResponse{Response: resp(422, "")}, false, 0},
		{"not found", &github.ErrorResponse{Response: resp(404, "")}, false, 0},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), false, 0},
		{"network timeout", &url.Error{Op: "Post", URL: "x", Err: timeoutErr{}}, true, 0},
		{"plain", errors.New("boom"), false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			retry, wait := Retryable(c.err)
			if retry != c.retry || wait != c.wait {
				t.Errorf("Retryable(%v) = %v, %v, want %v, %v", c.err, retry, wait, c.retry, c.wait)
			}
		})
	}
}

func TestRetryablePrimaryRateLimit(t *testing.T) {
	t.Parallel()
	err := &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: time.Now().Add(time.Hour)}}}
	retry, wait := Retryable(err)
	if !retry || wait <= 30*time.Minute || wait > time.Hour {
		t.Errorf("Retryable(rate limit resetting in 1h) = %v, %v, want true, about 1h", retry, wait)
	}
}

// A 500 from GitHub reaches the caller as a retryable error, and the
// retried publish completes without duplicates.
func TestPublishServerErrorThenRetry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.s.InjectFault("POST", "pulls/create-review", githubtest.Fault{Status: 500, Times: 1})
	r := report(finding("one", scanners.High, "a.go", 3, 3))
	ctx := context.Background()
	id, err := e.pub.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	err = e.pub.Publish(ctx, id, target(head1), r, e.changeSet(t), Options{})
	if retry, _ := Retryable(err); !retry {
		t.Fatalf("Publish() with a 500 = %v, want a retryable error", err)
	}
	if run := e.checkRun(t, id); run.Status != "completed" {
		t.Errorf("the check did not complete although only the review failed: %s", run.Status)
	}
	e.run(t, e.pub, head1, r, Options{})
	if n := len(e.rootComments()); n != 1 {
		t.Errorf("%d comments after the retry, want 1", n)
	}
}

// An interrupted Publish leaves annotations on an open run; Begin must
// not reuse it (annotations append) but close it and open a new one.
func TestBeginReplacesInterruptedRun(t *testing.T) {
	t.Parallel()
	e := setup(t, githubtest.File{Path: "a.go", Status: "modified", Patch: patch(70)})
	var fs []scanners.Finding
	for i := range 60 {
		fs = append(fs, finding(fmt.Sprint("k", i), scanners.Medium, "a.go", 3+i, 3+i))
	}
	checks := NewChecks(StaticClient(e.gh), e.state)
	ctx := context.Background()
	id, err := checks.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	// The first update (50 annotations) succeeds, the second fails.
	e.s.InjectFault("PATCH", "checks/update", githubtest.Fault{Status: 502})
	e.s.InjectFault("PATCH", "checks/update", githubtest.Fault{Times: 1})
	if err := checks.Publish(ctx, id, target(head1), report(fs...), nil, Options{}); err == nil {
		t.Fatal("Publish() with a failing second batch = nil, want an error")
	}
	e.s.ClearFaults()
	next, err := checks.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	if next == id {
		t.Fatal("Begin reused a run holding a partial set of annotations")
	}
	if old := e.checkRun(t, id); old.Status != "completed" || old.Conclusion != "neutral" {
		t.Errorf("interrupted run = %s/%s, want completed/neutral", old.Status, old.Conclusion)
	}
}

// When GraphQL is refused, a gone finding's comment is edited to say it
// was fixed instead, keeping its marker.
func TestGoneFindingFallsBackToEdit(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("goes", scanners.High, "a.go", 4, 4)), Options{})
	e.s.InjectFault("", "/graphql", githubtest.Fault{Status: 403, Message: "Resource not accessible by integration"})
	e.run(t, e.pub, head2, report(), Options{})
	cs := e.rootComments()
	if len(cs) != 1 {
		t.Fatalf("%d comments, want 1", len(cs))
	}
	if want := "Fixed** in 3333333"; !containsAll(cs[0].Body, want, "<!-- picket:fp="+string(fp("goes"))) {
		t.Errorf("comment after the fix = %q, want it to say %q and keep its marker", cs[0].Body, want)
	}
	edits := len(e.s.Succeeded("pulls/update-review-comment"))
	e.run(t, e.pub, head2, report(), Options{})
	if got := len(e.s.Succeeded("pulls/update-review-comment")); got != edits {
		t.Errorf("a comment already marked fixed was edited again (%d edits, want %d)", got, edits)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func TestGraphQLURL(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"https://api.github.com/":     "graphql",
		"https://ghe.example/api/v3/": "https://ghe.example/api/graphql",
		"http://127.0.0.1:8080/":      "graphql",
	} {
		gh := github.NewClient(nil)
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		gh.BaseURL = u
		if got := graphQLURL(gh); got != want {
			t.Errorf("graphQLURL(%s) = %q, want %q", base, got, want)
		}
	}
}

// A transient GraphQL failure is retried later, not turned into edits.
func TestGoneFindingTransientGraphQLError(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("goes", scanners.High, "a.go", 4, 4)), Options{})
	e.s.InjectFault("", "/graphql", githubtest.Fault{Status: 502, Times: 1})
	ctx := context.Background()
	id, err := e.pub.Begin(ctx, target(head2))
	if err != nil {
		t.Fatal(err)
	}
	err = e.pub.Publish(ctx, id, target(head2), report(), e.changeSet(t), Options{})
	if retry, _ := Retryable(err); !retry {
		t.Fatalf("Publish() with GraphQL answering 502 = %v, want a retryable error", err)
	}
	if n := len(e.s.Calls("pulls/update-review-comment")); n != 0 {
		t.Errorf("%d comments edited on a transient error, want 0", n)
	}
	e.run(t, e.pub, head2, report(), Options{})
	root := e.rootComments()[0]
	if !e.s.ThreadResolved(repo, root.ID) {
		t.Error("the retry did not resolve the gone finding's thread")
	}
}

// GitHub's secondary limit stops a publish half-way; the error carries
// Retry-After, and the retry after that wait posts only what is missing.
func TestSecondaryLimitThenRetry(t *testing.T) {
	t.Parallel()
	e := setupWith(t, []githubtest.Option{githubtest.WithSecondaryLimit(2)})
	r := report(finding("inline", scanners.High, "a.go", 3, 3), finding("off1", scanners.High, "a.go", 100, 100), finding("off2", scanners.High, "a.go", 200, 200))
	reviews := Multi{NewReviews(StaticClient(e.gh), e.state, nil)}
	ctx := context.Background()
	err := reviews.Publish(ctx, 0, target(head1), r, e.changeSet(t), Options{})
	retry, wait := Retryable(err)
	if !retry || wait <= 0 || wait > time.Minute+time.Second {
		t.Fatalf("Retryable(Publish() over the secondary limit) = %v, %v (err %v), want true and a Retry-After up to a minute", retry, wait, err)
	}
	if got := len(e.rootComments()); got != 2 {
		t.Fatalf("%d comments before the limit, want 2", got)
	}
	e.s.Clock().Advance(wait + time.Second)
	// go-github remembers the limit in real time; the retried job has a
	// client of its own, as it would after the real wait.
	reviews = Multi{NewReviews(StaticClient(e.newClient(t)), e.state, nil)}
	if err := reviews.Publish(ctx, 0, target(head1), r, e.changeSet(t), Options{}); err != nil {
		t.Fatalf("Publish() after waiting = %v", err)
	}
	seen := map[scanners.Fingerprint]int{}
	for _, c := range e.rootComments() {
		f, _ := templates.ParseMarker(c.Body)
		seen[f]++
	}
	if len(seen) != 3 || seen[fp("inline")] != 1 || seen[fp("off1")] != 1 || seen[fp("off2")] != 1 {
		t.Errorf("comments per fingerprint after the retry = %v, want one each for 3 findings", seen)
	}
}
