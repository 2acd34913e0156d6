package githubtest

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the fake answers with instead of serving a call.
type Fault struct {
	// Status is the HTTP status to answer (e.g. 500, 502, 503). Zero with
	// a Delay means "answer normally, late".
	Status int
	// Times is how many matching calls fail; zero or less means every
	// matching call.
	Times int
	// Delay holds the answer back (real time, to trip client timeouts);
	// it ends early when the client goes away.
	Delay time.Duration
	// PrimaryRateLimit answers 403 "API rate limit exceeded" with
	// X-RateLimit-Remaining: 0 and X-RateLimit-Reset ResetAfter from the
	// fake clock (default one minute), as go-github's RateLimitError expects.
	PrimaryRateLimit bool
	ResetAfter       time.Duration
	// Message overrides the error body's message.
	Message string
}

type faultRule struct {
	method, pattern string
	f               Fault
	used            int
}

// InjectFault makes calls matching method ("" for any) and pathPattern
// fail. pathPattern is an operation id ("checks/create"), a path template
// of the contract ("/repos/{owner}/{repo}/check-runs"), or a path.Match
// glob of the request path ("/repos/o/r/pulls/1/*"); "/graphql" matches
// GraphQL calls. Later faults are checked first. Faulted calls are
// validated and recorded but change no state.
func (s *Server) InjectFault(method, pathPattern string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append([]*faultRule{{method: strings.ToUpper(method), pattern: pathPattern, f: f}}, s.faults...)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (fr *faultRule) matches(ex *exchange, tmpl string) bool {
	if fr.method != "" && fr.method != ex.r.Method {
		return false
	}
	if fr.f.Times > 0 && fr.used >= fr.f.Times {
		return false
	}
	if fr.pattern == ex.op || fr.pattern == tmpl {
		return true
	}
	ok, err := path.Match(fr.pattern, ex.r.URL.Path)
	return err == nil && ok
}

// applyFault serves an injected fault if one matches. It must be called
// without s.mu held (it may sleep).
func (s *Server) applyFault(ex *exchange) (reply, bool) {
	s.mu.Lock()
	var f *Fault
	for _, fr := range s.faults {
		if fr.matches(ex, ex.tmpl) {
			fr.used++
			cp := fr.f
			f = &cp
			break
		}
	}
	s.mu.Unlock()
	if f == nil {
		return reply{}, false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-ex.r.Context().Done():
			t.Stop()
		}
	}
	switch {
	case f.PrimaryRateLimit:
		reset := f.ResetAfter
		if reset == 0 {
			reset = time.Minute
		}
		msg := f.Message
		if msg == "" {
			msg = "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID."
		}
		rep := basicError(http.StatusForbidden, msg)
		rep.header = http.Header{}
		rep.header.Set("X-RateLimit-Limit", "5000")
		rep.header.Set("X-RateLimit-Remaining", "0")
		rep.header.Set("X-RateLimit-Used", "5000")
		rep.header.Set("X-RateLimit-Reset", strconv.FormatInt(s.clock.Now().Add(reset).Unix(), 10))
		return rep, true
	case f.Status != 0:
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		return basicError(f.Status, msg), true
	}
	return reply{}, false
}
