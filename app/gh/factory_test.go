package gh

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/githubtest"
)

func TestInstallationTokenIsCached(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		// A new client each time: the token lives in the factory.
		c, err := e.f.Installation(ctx, testInstID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := len(e.s.Calls("apps/create-installation-access-token")); n != 1 {
		t.Errorf("%d token requests for 5 calls, want 1", n)
	}
	if n := len(e.s.Succeeded("pulls/get")); n != 5 {
		t.Errorf("%d successful pulls/get, want 5", n)
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	// 56 minutes on, the token still works for 4 minutes, but that is
	// inside the refresh margin: a new one is fetched before the call.
	e.s.Clock().Advance(githubtest.TokenTTL - refreshMargin + time.Minute)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	if n := len(e.s.Calls("apps/create-installation-access-token")); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	for _, call := range e.s.Calls("pulls/get") {
		if call.Status != http.StatusOK {
			t.Errorf("pulls/get answered %d; the refresh should have come first", call.Status)
		}
	}
}

func TestTokenReRequestedOn401(t *testing.T) {
	t.Parallel()
	// Our clock is the real one, so only GitHub knows the token expired:
	// the 401 is the only signal.
	e := setup(t, nil, WithClock(time.Now))
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	e.s.Clock().Advance(githubtest.TokenTTL + time.Minute)
	// A POST, so the replayed body is exercised too.
	if _, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("after expiry")}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := len(e.s.Calls("apps/create-installation-access-token")); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	var statuses []int
	for _, call := range e.s.Calls("issues/create-comment") {
		statuses = append(statuses, call.Status)
	}
	if want := []int{401, 201}; !slices.Equal(statuses, want) {
		t.Errorf("create-comment statuses = %v, want %v", statuses, want)
	}
	if got := e.s.IssueComments(testRepo, 1); len(got) != 1 || got[0].Body != "after expiry" {
		t.Errorf("comments = %+v, want the one replayed comment", got)
	}
}

func TestTokenNotRetriedForever(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithClock(time.Now))
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{Status: http.StatusUnauthorized, Message: "Bad credentials"})
	_, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1)
	if k := KindOf(err); k != Permission {
		t.Errorf("KindOf(%v) = %v, want permission", err, k)
	}
	if n := len(e.s.Calls("pulls/get")); n != 2 {
		t.Errorf("%d pulls/get calls, want 2 (the first and one after a new token)", n)
	}
}

func TestServerErrorRetriedTransparently(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{Status: http.StatusInternalServerError, Times: 1})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	pr, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1)
	if err != nil || pr.GetNumber() != 1 {
		t.Fatalf("Get = %v, %v; want the pull request", pr.GetNumber(), err)
	}
	w := e.sleeps.all()
	if len(w) != 1 || w[0] < DefaultRetryPolicy.BaseDelay || w[0] > DefaultRetryPolicy.BaseDelay*5/4 {
		t.Errorf("waits = %v, want one backoff of %v plus at most a quarter", w, DefaultRetryPolicy.BaseDelay)
	}
}

func TestServerErrorNotRetriedForPOST(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.s.InjectFault("POST", "issues/create-comment", githubtest.Fault{Status: http.StatusBadGateway, Times: 1})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	_, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")})
	if KindOf(err) != Transient {
		t.Errorf("KindOf(%v) = %v, want transient", err, KindOf(err))
	}
	if n := len(e.s.Calls("issues/create-comment")); n != 1 {
		t.Errorf("%d calls, want 1: a POST whose outcome is unknown is not resent", n)
	}
}

func TestServerErrorGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{Status: http.StatusServiceUnavailable})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	_, resp, err := c.PullRequests.Get(ctx, testOwner, testName, 1)
	if KindOf(err) != Transient || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("err = %v (kind %v), want the last 503 as a transient error", err, KindOf(err))
	}
	if n := len(e.s.Calls("pulls/get")); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
	w := e.sleeps.all()
	if len(w) != 2 || w[1] < 2*w[0]*4/5 {
		t.Errorf("waits = %v, want two growing backoffs", w)
	}
}

func TestSecondaryLimitRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	// The fake allows 5 content-creating calls a minute; our budget is
	// off, so the fake's 403 is what we meet.
	e := setup(t, []githubtest.Option{githubtest.WithSecondaryLimit(5)}, WithBudget(NewWindowBudget(0, time.Minute, nil)))
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	for i := 0; i < 6; i++ {
		if _, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
	}
	if w := e.sleeps.all(); !slices.Equal(w, []time.Duration{time.Minute}) {
		t.Errorf("waits = %v, want the 60s of Retry-After", w)
	}
	if n := len(e.s.IssueComments(testRepo, 1)); n != 6 {
		t.Errorf("%d comments, want 6", n)
	}
	var limited int
	for _, call := range e.s.Calls("issues/create-comment") {
		if call.Status == http.StatusForbidden {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d limited calls, want 1", limited)
	}
}

func TestRateLimitWaitOverMaxIsTypedError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault githubtest.Fault
		want  time.Duration
	}{
		{"primary reset", githubtest.Fault{PrimaryRateLimit: true, ResetAfter: 10 * time.Minute}, 10*time.Minute + time.Second},
		{"secondary without Retry-After", githubtest.Fault{Status: http.StatusForbidden, Message: "You have exceeded a secondary rate limit."}, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, nil, WithRetryPolicy(RetryPolicy{MaxWait: 30 * time.Second}))
			e.s.InjectFault("GET", "pulls/get", tt.fault)
			ctx := context.Background()
			c, _ := e.f.Installation(ctx, testInstID)
			_, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1)
			var ge *Error
			if !errors.As(err, &ge) || ge.Kind != RateLimited || ge.RetryAfter != tt.want {
				t.Fatalf("err = %v, want a rate_limited *Error with RetryAfter %v", err, tt.want)
			}
			if RetryAfter(err) != tt.want || !KindOf(err).Retryable() {
				t.Errorf("RetryAfter = %v, retryable %v", RetryAfter(err), KindOf(err).Retryable())
			}
			if n := len(e.s.Calls("pulls/get")); n != 1 {
				t.Errorf("%d calls, want 1 (no wait over the limit)", n)
			}
			if len(e.sleeps.all()) != 0 {
				t.Errorf("slept %v", e.sleeps.all())
			}
		})
	}
}

func TestPrimaryResetWaitedWhenShort(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{PrimaryRateLimit: true, ResetAfter: 20 * time.Second, Times: 1})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	if w := e.sleeps.all(); !slices.Equal(w, []time.Duration{21 * time.Second}) {
		t.Errorf("waits = %v, want until the reset plus a second", w)
	}
}

func TestBudgetHoldsThe81stCreation(t *testing.T) {
	t.Parallel()
	e := setup(t, nil) // the fake enforces GitHub's 80 a minute
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	for i := 0; i < DefaultContentLimit+1; i++ {
		if _, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
		if i < DefaultContentLimit && len(e.sleeps.all()) != 0 {
			t.Fatalf("comment %d waited %v", i, e.sleeps.all())
		}
	}
	if w := e.sleeps.all(); !slices.Equal(w, []time.Duration{time.Minute}) {
		t.Errorf("waits = %v, want one minute before the 81st", w)
	}
	for _, call := range e.s.Calls("issues/create-comment") {
		if call.Status != http.StatusCreated {
			t.Errorf("a call answered %d: the budget should keep us under GitHub's limit", call.Status)
		}
	}
	// Reads are not rationed.
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil || len(e.sleeps.all()) != 1 {
		t.Errorf("read after the budget: %v, waits %v", err, e.sleeps.all())
	}
}

func TestBudgetOverMaxWaitFailsWithoutSending(t *testing.T) {
	t.Parallel()
	e := setup(t, nil, WithRetryPolicy(RetryPolicy{MaxWait: 10 * time.Second}))
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	var err error
	for i := 0; i <= DefaultContentLimit && err == nil; i++ {
		_, _, err = c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")})
	}
	if KindOf(err) != RateLimited || RetryAfter(err) != time.Minute {
		t.Fatalf("81st: %v (kind %v, wait %v), want rate_limited after a minute", err, KindOf(err), RetryAfter(err))
	}
	if n := len(e.s.Calls("issues/create-comment")); n != DefaultContentLimit {
		t.Errorf("%d sent, want %d", n, DefaultContentLimit)
	}
}

func TestKindClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault githubtest.Fault
		want  Kind
	}{
		{"404", githubtest.Fault{Status: http.StatusNotFound}, NotFound},
		{"403 permission", githubtest.Fault{Status: http.StatusForbidden, Message: "Resource not accessible by integration"}, Permission},
		{"422", githubtest.Fault{Status: http.StatusUnprocessableEntity, Message: "Validation Failed"}, Invalid},
		{"502 every time", githubtest.Fault{Status: http.StatusBadGateway}, Transient},
		{"429", githubtest.Fault{Status: http.StatusTooManyRequests}, RateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, []githubtest.Option{githubtest.ExpectViolations()}, WithRetryPolicy(RetryPolicy{MaxWait: time.Second}))
			e.s.InjectFault("GET", "pulls/get", tt.fault)
			ctx := context.Background()
			c, _ := e.f.Installation(ctx, testInstID)
			_, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1)
			if got := KindOf(err); got != tt.want {
				t.Errorf("KindOf(%v) = %v, want %v", err, got, tt.want)
			}
			var ge *Error
			if !errors.As(Classify(err), &ge) || ge.Kind != tt.want {
				t.Errorf("Classify(%v) = %v", err, Classify(err))
			}
			if got, want := KindOf(err).Retryable(), tt.want == Transient || tt.want == RateLimited; got != want {
				t.Errorf("Retryable = %v, want %v", got, want)
			}
		})
	}
}

func TestNetworkErrorIsTransientAndRetried(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	calls := 0
	down := roundTripperFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, errors.New("connection refused")
	})
	k, pemBytes := testKey(t)
	_ = k
	f, err := New(testAppID, pemBytes, WithBaseURL(e.s.BaseURL()), WithTransport(down), WithSleeper(e.sleeps.sleep))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, _ := f.Installation(ctx, testInstID)
	_, _, err = c.PullRequests.Get(ctx, testOwner, testName, 1)
	if KindOf(err) != Transient {
		t.Errorf("KindOf(%v) = %v, want transient", err, KindOf(err))
	}
	if calls != DefaultRetryPolicy.MaxAttempts {
		t.Errorf("%d attempts, want %d (the token request fails each time)", calls, DefaultRetryPolicy.MaxAttempts)
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMetricsAndRateRemaining(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	e.s.SetRateRemaining(testInstID, 100)
	e.s.InjectFault("GET", "pulls/get", githubtest.Fault{Status: http.StatusInternalServerError, Times: 1})
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	want := []string{"app 201", "pulls 500", "pulls 200"}
	if !slices.Equal(e.metrics.requests, want) {
		t.Errorf("requests = %v, want %v", e.metrics.requests, want)
	}
	// The fault is answered before the fake charges the budget; the
	// successful call is charged.
	if got := e.metrics.remaining[testInstID]; got != 99 {
		t.Errorf("remaining for the installation = %d, want 99", got)
	}
}

func TestAppClientAndEnterpriseBaseURL(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	_, pemBytes := testKey(t)
	f, err := New(testAppID, pemBytes, WithBaseURL(e.s.URL()+"/api/v3"), WithTransport(e.s.HTTPClient().Transport))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	app, _ := f.App(ctx)
	a, _, err := app.Apps.Get(ctx, "")
	if err != nil || a.GetID() != testAppID {
		t.Fatalf("Apps.Get = %v, %v", a.GetID(), err)
	}
	c, _ := f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatalf("installation call under /api/v3/: %v", err)
	}
	for _, call := range e.s.Calls("") {
		if !strings.HasPrefix(call.Path, "/") || call.Status >= 300 {
			t.Errorf("call %s %s answered %d", call.Method, call.Path, call.Status)
		}
	}
	if got, want := f.GraphQLURL(), e.s.URL()+"/api/graphql"; got != want {
		t.Errorf("GraphQLURL = %q, want %q", got, want)
	}
	if got, want := e.f.GraphQLURL(), e.s.URL()+"/graphql"; got != want {
		t.Errorf("GraphQLURL = %q, want %q", got, want)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	t.Parallel()
	_, pemBytes := testKey(t)
	tests := map[string]struct {
		appID int64
		pem   []byte
		opts  []Option
	}{
		"zero app id":  {0, pemBytes, nil},
		"not a key":    {1, []byte("-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----\n"), nil},
		"relative URL": {1, pemBytes, []Option{WithBaseURL("api/v3")}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := New(tt.appID, tt.pem, tt.opts...); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
	f, err := New(1, pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Installation(context.Background(), 0); KindOf(err) != Invalid {
		t.Errorf("Installation(0) = %v, want invalid", err)
	}
}

// TestInstallationTokenIsTheClientsToken: the git fetch's token is the
// one the installation's REST clients use (no second mint); naming it
// stale replaces it for them too, and an already replaced stale token
// does not cost another mint.
func TestInstallationTokenIsTheClientsToken(t *testing.T) {
	t.Parallel()
	e := setup(t, nil)
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	tok, err := e.f.InstallationToken(ctx, testInstID, "")
	if err != nil || tok == "" {
		t.Fatalf("InstallationToken = %q, %v", tok, err)
	}
	mints := func() int { return len(e.s.Calls("apps/create-installation-access-token")) }
	if n := mints(); n != 1 {
		t.Errorf("%d token requests, want 1 shared by the client and the fetch", n)
	}
	fresh, err := e.f.InstallationToken(ctx, testInstID, tok)
	if err != nil || fresh == tok || fresh == "" {
		t.Fatalf("InstallationToken(stale) = %q, %v; want a new token", fresh, err)
	}
	if again, _ := e.f.InstallationToken(ctx, testInstID, tok); again != fresh {
		t.Error("a stale token already replaced was replaced again")
	}
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	if n := mints(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if _, err := e.f.InstallationToken(ctx, 0, ""); KindOf(err) != Invalid {
		t.Errorf("installation 0: %v, want an Invalid error", err)
	}
}
