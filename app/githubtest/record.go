package githubtest

import (
	"net/http"
	"time"
)

// Call is one request the fake received, with its answer.
type Call struct {
	Op           string // operation id of the contract, "graphql", or "" for an unknown route
	Method, Path string
	Query        string
	Installation int64 // 0 unless made with an installation token
	Status       int
	RequestBody  []byte
	ResponseBody []byte
	At           time.Time // fake clock
	Wall         time.Time // real time the answer was recorded
}

func (s *Server) record(ex *exchange, status int, out []byte) {
	c := Call{
		Op: ex.op, Method: ex.r.Method, Path: ex.r.URL.Path, Query: ex.r.URL.RawQuery,
		Status: status, RequestBody: ex.body, ResponseBody: out, At: s.clock.Now(), Wall: time.Now(),
	}
	if ex.inst != nil {
		c.Installation = ex.inst.ID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

// Calls returns the calls made to operation op (an operation id such as
// "checks/update", or "graphql"), oldest first; op "" returns every call.
func (s *Server) Calls(op string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if op == "" || c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// Succeeded returns the calls to op answered with a 2xx status.
func (s *Server) Succeeded(op string) []Call {
	var out []Call
	for _, c := range s.Calls(op) {
		if c.Status >= http.StatusOK && c.Status < http.StatusMultipleChoices {
			out = append(out, c)
		}
	}
	return out
}
