package githubtest

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Response checks run off the request path: the fake's own responses are
// validated against the contract after they are written, and only once
// the fake has been quiet for checkQuiet (no request in flight, none
// answered lately), so the cost of validating (decoding a 100-file page
// of pulls/list-files takes a few milliseconds of CPU) neither inflates
// the latencies the app's benchmarks measure nor competes for the cores
// of a small machine while the app is at work between two requests (a
// git fetch, a scan). Only the check is deferred, never dropped: New's
// cleanup waits for every pending check before the test ends, Flush
// waits for them mid-test, and both make the queue drain at once.

// maxPendingChecks bounds the response checks held in memory (each holds
// a copy of a response body). When that many are pending, the next
// response is checked inline, before it is written: back-pressure
// rather than loss, for a test that keeps the fake busy for long.
const maxPendingChecks = 64

// checkQuiet is how long the fake must have been idle before a deferred
// check runs: longer than the app's usual gaps between two requests of
// one job (the git fetch of a push takes a few tens of milliseconds).
const checkQuiet = 100 * time.Millisecond

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

// checkQueue holds the deferred checks and runs them one at a time, on a
// goroutine that lives while any is queued, when the fake is quiet or a
// flush asks for them. It counts the pending ones, so that wait can
// return only when none is.
type checkQueue struct {
	quiet time.Duration
	kick  chan struct{} // buffered: the worker should look again

	mu       sync.Mutex
	idle     *sync.Cond // signalled when pending drops to zero
	queue    []func()
	pending  int       // reserved, queued or running checks
	inflight int       // requests being served
	lastEnd  time.Time // when the last request was answered
	flushing int       // wait calls in progress: drain without waiting
	working  bool      // the worker goroutine is running
}

func newCheckQueue(quiet time.Duration) *checkQueue {
	q := &checkQueue{quiet: quiet, kick: make(chan struct{}, 1)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// begin and end bracket the serving of one request.
func (q *checkQueue) begin() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.inflight++
}

func (q *checkQueue) end() {
	q.mu.Lock()
	q.inflight--
	q.lastEnd = time.Now()
	q.mu.Unlock()
	q.poke()
}

func (q *checkQueue) poke() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
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

// run queues f in the slot a successful reserve claimed.
func (q *checkQueue) run(f func()) {
	q.mu.Lock()
	q.queue = append(q.queue, f)
	start := !q.working
	q.working = true
	q.mu.Unlock()
	if start {
		go q.work()
	} else {
		q.poke()
	}
}

// work runs the queued checks, each once the fake is quiet, and returns
// when none is left.
func (q *checkQueue) work() {
	for {
		q.mu.Lock()
		if len(q.queue) == 0 {
			q.working = false
			q.mu.Unlock()
			return
		}
		wait := q.waitLocked()
		var f func()
		if wait == 0 {
			f, q.queue = q.queue[0], q.queue[1:]
		}
		q.mu.Unlock()
		if f == nil {
			t := time.NewTimer(wait)
			select {
			case <-q.kick:
			case <-t.C:
			}
			t.Stop()
			continue
		}
		f()
		q.done()
	}
}

// waitLocked is how long the worker should wait before the next check:
// zero when the fake is quiet or a flush is waiting.
func (q *checkQueue) waitLocked() time.Duration {
	if q.flushing > 0 {
		return 0
	}
	if q.inflight > 0 {
		return q.quiet // or until end pokes
	}
	return max(0, q.quiet-time.Since(q.lastEnd))
}

func (q *checkQueue) done() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending--
	if q.pending == 0 {
		q.idle.Broadcast()
	}
}

// wait blocks until no check is pending, running the queued ones at once.
func (q *checkQueue) wait() {
	q.mu.Lock()
	q.flushing++
	q.mu.Unlock()
	q.poke()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 {
		q.idle.Wait()
	}
	q.flushing--
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
