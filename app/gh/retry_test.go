package gh

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stub answers each attempt with the next of its responses; the last
// one repeats.
type stub struct {
	answers []func() (*http.Response, error)
	sent    int
}

func (s *stub) RoundTrip(r *http.Request) (*http.Response, error) {
	closeBody(r)
	a := s.answers[min(s.sent, len(s.answers)-1)]
	s.sent++
	return a()
}

func answer(status int, body string, hdr ...string) func() (*http.Response, error) {
	return func() (*http.Response, error) {
		h := http.Header{}
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}, nil
	}
}

func fail(err error) func() (*http.Response, error) {
	return func() (*http.Response, error) { return nil, err }
}

func TestRetryDecisions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	resetUnix := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name       string
		method     string
		answers    []func() (*http.Response, error)
		wantSent   int
		wantWaits  []time.Duration // exact; nil means "backoffs, count only"
		wantWaitN  int
		wantStatus int  // of the returned response, 0 for an error
		wantKind   Kind // of the returned error
		wantAfter  time.Duration
	}{
		{name: "200 once", method: "GET", answers: seq(answer(200, "")), wantSent: 1, wantStatus: 200},
		{name: "503 with Retry-After", method: "GET", answers: seq(answer(503, "", "Retry-After", "7"), answer(200, "")), wantSent: 2, wantWaits: []time.Duration{7 * time.Second}, wantStatus: 200},
		{name: "503 with a Retry-After too long", method: "GET", answers: seq(answer(503, "", "Retry-After", "600")), wantSent: 1, wantStatus: 503},
		{name: "501 is not transient", method: "GET", answers: seq(answer(501, "")), wantSent: 1, wantStatus: 501},
		{name: "network error on GET", method: "GET", answers: seq(fail(errors.New("reset")), answer(200, "")), wantSent: 2, wantWaitN: 1, wantStatus: 200},
		{name: "network error on POST", method: "POST", answers: seq(fail(errors.New("reset"))), wantSent: 1, wantKind: Internal},
		{name: "PUT is idempotent", method: "PUT", answers: seq(answer(502, ""), answer(200, "")), wantSent: 2, wantWaitN: 1, wantStatus: 200},
		{name: "secondary limit on POST", method: "POST", answers: seq(answer(403, `{"message":"You have exceeded a secondary rate limit."}`, "Retry-After", "30"), answer(201, "")), wantSent: 2, wantWaits: []time.Duration{30 * time.Second}, wantStatus: 201},
		{name: "secondary limit without headers", method: "POST", answers: seq(answer(403, `{"message":"You have exceeded a secondary rate limit."}`), answer(201, "")), wantSent: 2, wantWaits: []time.Duration{time.Minute}, wantStatus: 201},
		{name: "429", method: "GET", answers: seq(answer(429, ""), answer(200, "")), wantSent: 2, wantWaits: []time.Duration{time.Minute}, wantStatus: 200},
		{name: "primary reset", method: "GET", answers: seq(answer(403, `{"message":"API rate limit exceeded"}`, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", resetUnix(40*time.Second)), answer(200, "")), wantSent: 2, wantWaits: []time.Duration{41 * time.Second}, wantStatus: 200},
		{name: "primary reset too far", method: "GET", answers: seq(answer(403, "", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", resetUnix(time.Hour))), wantSent: 1, wantKind: RateLimited, wantAfter: time.Hour + time.Second},
		{name: "rate limited every time", method: "GET", answers: seq(answer(403, "", "Retry-After", "1")), wantSent: 3, wantWaits: []time.Duration{time.Second, time.Second}, wantKind: RateLimited, wantAfter: time.Second},
		{name: "403 permission", method: "GET", answers: seq(answer(403, `{"message":"Resource not accessible by integration"}`)), wantSent: 1, wantStatus: 403},
		{name: "422", method: "POST", answers: seq(answer(422, `{"message":"Validation Failed"}`)), wantSent: 1, wantStatus: 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &stub{answers: tt.answers}
			var waits []time.Duration
			rt := &retryTransport{next: s, policy: RetryPolicy{MaxAttempts: 3, MaxWait: 90 * time.Second}.withDefaults(),
				now: func() time.Time { return now }, log: slog.New(slog.DiscardHandler),
				sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			req, err := http.NewRequest(tt.method, "https://api.github.test/repos/o/r/issues/1/comments", strings.NewReader(`{"body":"x"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.RoundTrip(req)
			if s.sent != tt.wantSent {
				t.Errorf("sent %d times, want %d", s.sent, tt.wantSent)
			}
			if tt.wantWaits != nil && !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			if tt.wantWaits == nil && len(waits) != tt.wantWaitN {
				t.Errorf("waits = %v, want %d backoffs", waits, tt.wantWaitN)
			}
			if tt.wantStatus != 0 {
				if err != nil || resp == nil || resp.StatusCode != tt.wantStatus {
					t.Fatalf("RoundTrip = %v, %v; want status %d", resp, err, tt.wantStatus)
				}
				if tt.wantStatus == 403 {
					// The peeked body is still there for go-github.
					if b, _ := io.ReadAll(resp.Body); !strings.Contains(string(b), "Resource not accessible") {
						t.Errorf("body after peeking = %q", b)
					}
				}
				return
			}
			if resp != nil {
				t.Errorf("RoundTrip returned a response with the error: %v", resp.StatusCode)
			}
			if KindOf(err) != tt.wantKind || RetryAfter(err) != tt.wantAfter {
				t.Errorf("err = %v (kind %v, after %v), want kind %v after %v", err, KindOf(err), RetryAfter(err), tt.wantKind, tt.wantAfter)
			}
		})
	}
}

func seq(a ...func() (*http.Response, error)) []func() (*http.Response, error) { return a }
