package gh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// Kind is the small set of outcomes a caller decides on.
type Kind int

// Kinds, from "the request is wrong" to "we do not know".
const (
	// Internal is a failure nobody expects: a bug or a misconfiguration.
	Internal Kind = iota
	// Invalid is a request GitHub refused as malformed (400, 409, 422).
	Invalid
	// NotFound is a missing resource, or one the installation cannot see
	// (GitHub answers 404 for both).
	NotFound
	// Permission is a refused credential or access (401, 403 without a
	// rate limit).
	Permission
	// RateLimited is a primary or secondary rate limit; Error.RetryAfter
	// says how long to wait.
	RateLimited
	// Transient is a failure that may pass: 5xx, a network error, a
	// timeout.
	Transient
)

var kindNames = [...]string{
	Internal: "internal", Invalid: "invalid", NotFound: "not_found",
	Permission: "permission", RateLimited: "rate_limited", Transient: "transient",
}

// String is the kind's lower-case name, fit for a metric label.
func (k Kind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// retryable is the one table of which kinds are worth trying again later
// (a River retry): the request itself was fine, the moment was not.
var retryable = map[Kind]bool{
	Internal:    false,
	Invalid:     false,
	NotFound:    false,
	Permission:  false,
	RateLimited: true,
	Transient:   true,
}

// Retryable reports whether an operation that failed with this kind may
// succeed if tried again later unchanged.
func (k Kind) Retryable() bool { return retryable[k] }

// Error is a classified GitHub failure. Read it with errors.As. It never
// holds a token or a request body.
type Error struct {
	Kind Kind
	// Op names what failed without secrets: "GET /repos/o/r/pulls/1".
	Op string
	// Status is the HTTP status, 0 when there was no response.
	Status int
	// RetryAfter is how long GitHub asked us to wait (RateLimited), or 0.
	RetryAfter time.Duration
	// Err is the underlying error, if any.
	Err error
}

// Error renders "GET /repos/o/r/pulls/1: rate_limited (403), retry after 1m0s: …".
func (e *Error) Error() string {
	s := e.Kind.String()
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" (%d)", e.Status)
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf classifies any error from a go-github call or this package's
// middleware. A nil error has no kind; callers check for nil first
// (KindOf(nil) is Internal).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Classify(err).(*Error).Kind
}

// RetryAfter is the wait a rate-limited error carries, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	if c, ok := Classify(err).(*Error); ok {
		return c.RetryAfter
	}
	return 0
}

// Classify wraps err in an *Error with its Kind, keeping err reachable
// with errors.Is/As. An *Error already in the chain is returned as is;
// nil stays nil.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	out := &Error{Kind: Internal, Err: err}
	var (
		rl    *github.RateLimitError
		abuse *github.AbuseRateLimitError
		resp  *github.ErrorResponse
		hte   *ghinstallation.HTTPError
		ne    net.Error
	)
	switch {
	case errors.As(err, &rl):
		out.Kind, out.Status = RateLimited, statusOf(rl.Response)
		out.RetryAfter = max(time.Until(rl.Rate.Reset.Time), 0)
	case errors.As(err, &abuse):
		out.Kind, out.Status = RateLimited, statusOf(abuse.Response)
		if abuse.RetryAfter != nil {
			out.RetryAfter = *abuse.RetryAfter
		}
	case errors.As(err, &resp):
		out.Status = statusOf(resp.Response)
		out.Kind = kindForStatus(out.Status)
	case errors.As(err, &hte):
		// ghinstallation could not get a token.
		if hte.Response == nil {
			out.Kind = Transient
		} else {
			out.Status = hte.Response.StatusCode
			out.Kind = kindForStatus(out.Status)
		}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		out.Kind = Transient
	case errors.As(err, &ne):
		out.Kind = Transient
	}
	return out
}

func statusOf(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

// kindForStatus maps an HTTP status (of a response that is not a rate
// limit) to a Kind.
func kindForStatus(status int) Kind {
	switch {
	case status == http.StatusNotFound, status == http.StatusGone:
		return NotFound
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return Permission
	case status == http.StatusTooManyRequests:
		return RateLimited
	case status == http.StatusBadRequest, status == http.StatusConflict, status == http.StatusUnprocessableEntity:
		return Invalid
	case status == http.StatusRequestTimeout, status >= 500:
		return Transient
	}
	return Internal
}
