package publish

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
)

// abuseDefaultWait is how long to wait after a secondary rate limit that
// names no Retry-After: GitHub asks for "at least one minute"
// (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately).
const abuseDefaultWait = time.Minute

// Retryable reports whether err is transient and, if known, how long to
// wait before trying again: primary rate limits until their reset,
// secondary limits for their Retry-After (a minute if absent), 5xx, 429
// and network timeouts. A cancelled context and 4xx answers are not
// retryable.
func Retryable(err error) (bool, time.Duration) {
	if err == nil || errors.Is(err, context.Canceled) {
		return false, 0
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return true, max(0, time.Until(rl.Rate.Reset.Time))
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		if ab.RetryAfter != nil {
			return true, *ab.RetryAfter
		}
		return true, abuseDefaultWait
	}
	var acc *github.AcceptedError
	if errors.As(err, &acc) {
		return true, 0
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		code := er.Response.StatusCode
		return code >= 500 || code == http.StatusTooManyRequests, retryAfter(er.Response)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && !errors.Is(err, context.DeadlineExceeded) {
		return true, 0
	}
	return false, 0
}

// retryAfter reads a Retry-After header in seconds; 0 when absent.
func retryAfter(r *http.Response) time.Duration {
	if r == nil {
		return 0
	}
	d, err := time.ParseDuration(r.Header.Get("Retry-After") + "s")
	if err != nil || d < 0 {
		return 0
	}
	return d
}
