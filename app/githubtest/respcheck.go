package githubtest

import (
	"context"
	"net/http"
	"sync"
)

// Response checks run off the request path: the fake's own responses are
// validated against the contract after they are written, so the cost of
// validating (decoding a 100-file page of pulls/list-files takes a few
// milliseconds of CPU) does not inflate the latencies the app's
// benchmarks measure. Only the check is deferred, never dropped: New's
// cleanup waits for every pending check before the test ends, and
// Flush waits for them mid-test.

// maxPendingChecks bounds the response checks held in memory (each holds
// a copy of a response body). When that many are pending, the next
// response is checked inline, before it is written: back-pressure
// rather than loss.
const maxPendingChecks = 64

// checkWorkers is how many response checks run at once per Server. One:
// the checks must keep up with the app (a few milliseconds per scan), not
// compete with it for every core of a small machine.
const checkWorkers = 1

// responseCheck is everything one deferred response check needs, copied
// out of the exchange: nothing here is touched by net/http or by the
// handlers after ServeHTTP returns.
type responseCheck struct {
	ctx    context.Context // the request's values, never its cancellation
	in     *validationInput
	status int
	header http.Header
	body   []byte
	op     string
	method string
	path   string
}

// checkQueue runs at most checkWorkers response checks at once and
// counts the pending ones, so that wait can return only when none is.
type checkQueue struct {
	sem chan struct{} // concurrency of running checks

	mu      sync.Mutex
	idle    *sync.Cond // signalled when pending drops to zero
	pending int        // reserved, queued or running checks
}

func newCheckQueue() *checkQueue {
	q := &checkQueue{sem: make(chan struct{}, checkWorkers)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// reserve claims a slot for a check, or reports false when
// maxPendingChecks are pending (the caller then checks inline). It is
// called before the response is written, so a client that has its
// answer can rely on wait to cover its check.
func (q *checkQueue) reserve() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending >= maxPendingChecks {
		return false
	}
	q.pending++
	return true
}

// run starts f in the slot a successful reserve claimed.
func (q *checkQueue) run(f func()) {
	go func() {
		defer q.done()
		q.sem <- struct{}{}
		defer func() { <-q.sem }()
		f()
	}()
}

func (q *checkQueue) done() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending--
	if q.pending == 0 {
		q.idle.Broadcast()
	}
}

// wait blocks until no check is pending.
func (q *checkQueue) wait() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 {
		q.idle.Wait()
	}
}

// Flush waits until every response the fake has written so far has been
// checked against the contract, so a failure of such a check has been
// reported (t.Errorf) when it returns. The test's cleanup calls it too;
// tests call it only when they must see those reports mid-test.
func (s *Server) Flush() { s.checks.wait() }

// checkResponse validates one response and reports a breach as a bug in
// the fake.
func (s *Server) checkResponse(c *responseCheck) {
	if err := s.spec.validateResponse(c.ctx, c.in, c.status, c.header, c.body); err != nil {
		s.t.Errorf("githubtest: bug in the fake: response to %s (%s %s) breaks the contract: %v", c.op, c.method, c.path, err)
	}
}

// scheduleCheck checks a response the fake is about to write. It returns
// a function to call once the response is written: it starts the
// deferred check, or does nothing when the check already ran inline
// because maxPendingChecks were pending.
func (s *Server) scheduleCheck(c *responseCheck) (start func()) {
	if !s.checks.reserve() {
		s.checkResponse(c)
		return func() {}
	}
	// The body and header are copied: the header map belongs to the
	// ResponseWriter, and a []byte body may be the handler's own.
	c.header = c.header.Clone()
	c.body = append([]byte(nil), c.body...)
	return func() { s.checks.run(func() { s.checkResponse(c) }) }
}
