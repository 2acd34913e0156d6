package gh

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWindowBudget(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	b := NewWindowBudget(3, time.Minute, func() time.Time { return now })
	ctx := context.Background()
	steps := []struct {
		at      time.Duration // since t0
		inst    int64
		maxWait time.Duration
		want    time.Duration
		limited bool
	}{
		{0, 1, 0, 0, false},
		{10 * time.Second, 1, 0, 0, false},
		{20 * time.Second, 1, 0, 0, false},
		{30 * time.Second, 2, 0, 0, false},                              // another installation has its own window
		{30 * time.Second, 1, 10 * time.Second, 30 * time.Second, true}, // the first booking leaves at 60s
		{30 * time.Second, 1, time.Minute, 30 * time.Second, false},     // booked for 60s
		{30 * time.Second, 1, time.Minute, 40 * time.Second, false},     // then 70s
		{61 * time.Second, 1, 0, 19 * time.Second, true},                // at 80s: three booked in (20s, 80s]
		{80 * time.Second, 1, 0, 0, false},
	}
	for i, s := range steps {
		now = t0.Add(s.at)
		got, err := b.Reserve(ctx, s.inst, s.maxWait)
		if s.limited {
			if KindOf(err) != RateLimited || RetryAfter(err) != s.want {
				t.Errorf("step %d: Reserve = %v, %v; want rate_limited after %v", i, got, err, s.want)
			}
			continue
		}
		if err != nil || got != s.want {
			t.Errorf("step %d: Reserve = %v, %v; want %v", i, got, err, s.want)
		}
	}
}

func TestCreatesContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path, body string
		want               bool
	}{
		{"GET", "/repos/o/r/pulls/1", "", false},
		{"POST", "/repos/o/r/check-runs", `{}`, true},
		{"PATCH", "/repos/o/r/check-runs/1", `{}`, true},
		{"DELETE", "/repos/o/r/pulls/comments/1", "", true},
		{"POST", "/graphql", `{"query":"query { viewer { login } }"}`, false},
		{"POST", "/api/graphql", `{"query":"  mutation { resolveReviewThread(input:{threadId:\"x\"}) { thread { id } } }"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, "http://h"+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := createsContent(req); got != tt.want {
				t.Errorf("createsContent = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEndpointClass(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/repos/o/r/check-runs/5":            "check-runs",
		"/repos/o/r/pulls/1/files":           "pulls",
		"/repos/o/r":                         "repos",
		"/app/installations/1/access_tokens": "app",
		"/graphql":                           "graphql",
		"/":                                  "root",
		"/rate_limit":                        "rate_limit",
	}
	for in, want := range tests {
		if got := endpointClass(in); got != want {
			t.Errorf("endpointClass(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k := Internal; k <= Transient; k++ {
		if s := k.String(); s == "" || strings.HasPrefix(s, "kind(") {
			t.Errorf("Kind(%d).String() = %q", k, s)
		}
	}
	if s := Kind(99).String(); s != "kind(99)" {
		t.Errorf("Kind(99).String() = %q", s)
	}
	e := &Error{Kind: RateLimited, Op: "GET /x", Status: 403, RetryAfter: time.Minute}
	if got, want := e.Error(), "GET /x: rate_limited (403), retry after 1m0s"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
