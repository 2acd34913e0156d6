package gh

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sleeper waits for d or until ctx is done, returning ctx.Err() then.
type Sleeper func(ctx context.Context, d time.Duration) error

// sleepCtx is the real Sleeper.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryPolicy bounds the retry middleware.
type RetryPolicy struct {
	// MaxAttempts is the most times one request is sent (default 4).
	MaxAttempts int
	// BaseDelay is the first backoff after a 5xx or network error,
	// doubled each time up to MaxDelay (defaults 500ms and 8s), with up
	// to a quarter added at random so replicas do not retry in step.
	BaseDelay, MaxDelay time.Duration
	// MaxWait is the longest the middleware waits in one go for a rate
	// limit (Retry-After, X-RateLimit-Reset) or the content budget
	// (default 90s). Longer waits fail at once with an *Error of Kind
	// RateLimited carrying the wait, so the job can be retried later
	// instead of holding a worker.
	MaxWait time.Duration
}

// DefaultRetryPolicy is the policy of a ClientFactory without
// WithRetryPolicy.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxWait: 90 * time.Second}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxWait <= 0 {
		p.MaxWait = d.MaxWait
	}
	return p
}

// backoff is the delay before retry n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << (n - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	return d + rand.N(d/4+1)
}

// secondaryDefaultWait is what GitHub asks when a secondary limit comes
// without Retry-After: "wait for at least one minute before retrying"
// (docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately).
const secondaryDefaultWait = time.Minute

// retryTransport retries what is safe to retry.
type retryTransport struct {
	next   http.RoundTripper
	policy RetryPolicy
	now    func() time.Time
	sleep  Sleeper
	log    *slog.Logger
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			var ok bool
			if r, ok = rewind(req); !ok {
				return nil, &Error{Kind: Internal, Op: opName(req), Err: errors.New("cannot resend a request whose body cannot be replayed")}
			}
		}
		resp, err := t.next.RoundTrip(r)
		wait, retry, failure := t.decide(req, resp, err)
		if !retry {
			if failure != nil {
				drain(resp)
				return nil, failure
			}
			return resp, nil
		}
		if attempt >= t.policy.MaxAttempts {
			if failure == nil {
				return resp, nil // the last response, as it is
			}
			drain(resp)
			return nil, failure
		}
		if wait == 0 {
			wait = t.policy.backoff(attempt)
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.log.LogAttrs(ctx, slog.LevelInfo, "github request retried",
			slog.String("op", opName(req)), slog.Int("status", status), slog.Int("attempt", attempt), slog.Duration("wait", wait))
		drain(resp)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// decide looks at one attempt's outcome. retry says whether to send again
// (after wait, or a backoff when wait is 0). failure, when not nil, is
// the error to return instead of resp when not retrying (or when out of
// attempts).
func (t *retryTransport) decide(req *http.Request, resp *http.Response, err error) (wait time.Duration, retry bool, failure error) {
	ctx := req.Context()
	if err != nil {
		if ctx.Err() != nil {
			return 0, false, err
		}
		var e *Error
		if errors.As(err, &e) {
			// From an inner layer: a token that could not be fetched
			// (the request itself was never sent) or the budget.
			return 0, e.Kind == Transient, err
		}
		return 0, idempotent(req.Method), err
	}
	if wait, limited := t.rateLimitWait(resp); limited {
		fail := &Error{Kind: RateLimited, Op: opName(req), Status: resp.StatusCode, RetryAfter: wait}
		if wait > t.policy.MaxWait {
			t.log.LogAttrs(ctx, slog.LevelWarn, "github rate limit longer than we wait",
				slog.String("op", opName(req)), slog.Int("status", resp.StatusCode), slog.Duration("retry_after", wait))
			return 0, false, fail
		}
		// A rate-limited request was not processed, so even a POST may be
		// sent again.
		return max(wait, time.Second), true, fail
	}
	if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && idempotent(req.Method) {
		wait := retryAfter(resp.Header, t.now())
		if wait > t.policy.MaxWait {
			return 0, false, nil // too long to hold a worker: the caller's retry takes over
		}
		return wait, true, nil
	}
	return 0, false, nil
}

// rateLimitWait recognises GitHub's rate-limit answers (403 or 429) and
// says how long to wait: Retry-After first, then X-RateLimit-Reset when
// the primary budget is spent, then a minute for a secondary limit that
// gives neither. A 403 that is none of these is a permission failure.
func (t *retryTransport) rateLimitWait(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	now := t.now()
	if d := retryAfter(resp.Header, now); d > 0 {
		return d, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(now), 0) + time.Second, true
		}
		return secondaryDefaultWait, true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return secondaryDefaultWait, true
	}
	if mentionsRateLimit(resp) {
		return secondaryDefaultWait, true
	}
	return 0, false
}

// retryAfter parses Retry-After (seconds or an HTTP date); 0 if absent.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

// mentionsRateLimit peeks at a 403 body for GitHub's rate-limit wording,
// restoring the body for the caller.
func mentionsRateLimit(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close() // fully replaced below
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return false
	}
	return bytes.Contains(bytes.ToLower(b), []byte("rate limit"))
}

// idempotent reports whether resending a request after an unknown outcome
// is safe (RFC 9110 §9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// rewind returns a copy of req with a fresh body, or false when the body
// cannot be replayed.
func rewind(req *http.Request) (*http.Request, bool) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	b, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r.Body = b
	return r, true
}

// drain discards and closes a response we will not hand back, so the
// connection can be reused.
func drain(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // best effort: only for connection reuse
	_ = resp.Body.Close()
}
