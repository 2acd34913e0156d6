package gh

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Budget rations content-creating requests per installation, so that
// Picket stays under GitHub's secondary rate limit ("no more than 80
// content-generating requests per minute",
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits)
// instead of hitting it and backing off.
//
// The in-memory WindowBudget serves one replica; a database-coordinated
// implementation serves many.
type Budget interface {
	// Reserve books one content-creating request for installation and
	// returns how long the caller must wait before sending it (0: now).
	// When that wait would exceed maxWait nothing is booked and the error
	// is an *Error of Kind RateLimited whose RetryAfter is the wait. Other
	// errors (a database failure) are returned as they are.
	Reserve(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error)
}

// WindowBudget allows at most Limit requests per installation in any
// window of Per. It is a token bucket whose tokens come back one Per
// after they were spent: unlike a bucket refilled at a steady rate (which
// allows a full burst plus the refill, up to twice the limit, in one
// minute) it never lets GitHub's sliding minute see more than Limit.
type WindowBudget struct {
	limit int
	per   time.Duration
	now   func() time.Time

	mu    sync.Mutex
	sends map[int64][]time.Time // booked send times, ascending, within the last Per
}

// DefaultContentLimit is GitHub's documented per-minute ceiling for
// content-creating requests.
const DefaultContentLimit = 80

// NewWindowBudget allows limit requests per installation in any window of
// per, reading time from now (time.Now if nil).
func NewWindowBudget(limit int, per time.Duration, now func() time.Time) *WindowBudget {
	if now == nil {
		now = time.Now
	}
	return &WindowBudget{limit: limit, per: per, now: now, sends: map[int64][]time.Time{}}
}

var _ Budget = (*WindowBudget)(nil)

// Reserve implements Budget.
func (b *WindowBudget) Reserve(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if b.limit <= 0 {
		return 0, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	s := b.sends[installation]
	i := 0
	for i < len(s) && !s[i].After(now.Add(-b.per)) {
		i++
	}
	s = s[i:]
	at := now
	if len(s) >= b.limit {
		// The request may go once the limit-th most recent booking has
		// left the window.
		at = s[len(s)-b.limit].Add(b.per)
		if at.Before(now) {
			at = now
		}
	}
	wait := at.Sub(now)
	if wait > maxWait {
		b.sends[installation] = s
		return 0, &Error{Kind: RateLimited, Op: "content budget", RetryAfter: wait,
			Err: fmt.Errorf("installation %d has used its %d content-creating requests per %s", installation, b.limit, b.per)}
	}
	b.sends[installation] = append(s, at)
	return wait, nil
}

// budgetTransport makes content-creating requests wait for the budget.
type budgetTransport struct {
	next         http.RoundTripper
	budget       Budget
	installation int64
	maxWait      time.Duration
	sleep        Sleeper
	observe      func(time.Duration) // nil: not observed
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !createsContent(req) {
		return t.next.RoundTrip(req)
	}
	wait, err := t.budget.Reserve(req.Context(), t.installation, t.maxWait)
	if err != nil {
		closeBody(req)
		return nil, withOp(err, req)
	}
	if t.observe != nil {
		t.observe(wait)
	}
	if wait > 0 {
		if err := t.sleep(req.Context(), wait); err != nil {
			closeBody(req)
			return nil, err
		}
	}
	return t.next.RoundTrip(req)
}

// createsContent reports whether GitHub counts a request against the
// secondary content-creation limit: every mutating REST call, and a
// GraphQL request only when it is a mutation.
func createsContent(req *http.Request) bool {
	switch req.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
	default:
		return false
	}
	if !strings.HasSuffix(req.URL.Path, "/graphql") {
		return true
	}
	if req.GetBody == nil {
		return true // cannot look; count it to be safe
	}
	body, err := req.GetBody()
	if err != nil {
		return true
	}
	defer body.Close()
	var q struct {
		Query string `json:"query"`
	}
	b, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil || json.Unmarshal(b, &q) != nil {
		return true
	}
	return bytes.HasPrefix(bytes.TrimSpace([]byte(q.Query)), []byte("mutation"))
}

// closeBody honours the RoundTripper contract of closing the request body
// even when the request is not sent.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close() // nothing to do about a failing close of a request body
	}
}

// withOp names the request in an *Error that has no Op yet.
func withOp(err error, req *http.Request) error {
	if e, ok := err.(*Error); ok {
		cp := *e
		cp.Op = opName(req) + " (" + e.Op + ")"
		if e.Op == "" {
			cp.Op = opName(req)
		}
		return &cp
	}
	return err
}

// opName is "METHOD /path", without the query (which could hold anything).
func opName(req *http.Request) string { return req.Method + " " + req.URL.Path }
