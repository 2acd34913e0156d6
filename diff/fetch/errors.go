package fetch

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrInvalidID is returned for a want that is not a 40-digit hex object id.
var ErrInvalidID = errors.New("invalid object id")

// ErrTooLarge is returned when the server's responses exceed the byte cap.
var ErrTooLarge = errors.New("fetch exceeds byte cap")

// ErrNotFound is returned when the server does not have a wanted object,
// or a wanted object is not a blob.
var ErrNotFound = errors.New("object not found")

// RefusedError reports that the server will not serve objects by id: it
// does not speak smart HTTP, it speaks only protocol v0 without
// allow-reachable-sha1-in-want, or it answered "not our ref". Callers may
// fall back to another way of reading blobs (Load does).
type RefusedError struct {
	// Reason says why, in words fit for a log or a check summary.
	Reason string
}

func (e *RefusedError) Error() string { return "git fetch refused: " + e.Reason }

// HTTPError is an unexpected HTTP status from the git server.
type HTTPError struct {
	StatusCode int
	URL        string // without credentials
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden {
		msg += " (check the installation token and the app's contents permission)"
	}
	return msg
}
