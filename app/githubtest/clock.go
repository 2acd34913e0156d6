package githubtest

import (
	"sync"
	"time"
)

// Clock is the fake's controllable clock. It starts at the real time when
// the server is created (so JWTs minted by real clients verify) and only
// moves when Advance or Set is called.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *Clock { return &Clock{now: time.Now().UTC().Truncate(time.Second)} }

// Now is the fake's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}
