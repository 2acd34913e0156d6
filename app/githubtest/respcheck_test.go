package githubtest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkTB captures Errorf (from any goroutine) and the cleanups New
// registers, so a test can run them itself and look at what they reported.
type checkTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (c *checkTB) Errorf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

func (c *checkTB) Cleanup(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

func (c *checkTB) reported() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

// runCleanups runs the captured cleanups last-registered first, as
// testing does, and forgets them, so a second call does nothing.
func (c *checkTB) runCleanups() {
	c.mu.Lock()
	fs := c.cleanups
	c.cleanups = nil
	c.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// capturedFake is a fake reporting to a checkTB, with the test
// installation and repository.
func capturedFake(t *testing.T) (*checkTB, *Server) {
	t.Helper()
	tb := &checkTB{TB: t}
	t.Cleanup(tb.runCleanups) // a no-op if the test ran them itself
	s := New(tb)
	key, _ := testKey(t)
	s.AddApp(testAppID, &key.PublicKey)
	s.AddInstallation(Installation{ID: testInstID, AppID: testAppID, Account: testOwner})
	s.AddRepo(Repo{Owner: testOwner, Name: testName, InstallationID: testInstID})
	return tb, s
}

// brokenFake is a fake whose pulls/list-files answer breaks the contract
// (a file status outside the enum): a bug in the fake, planted on purpose.
func brokenFake(t *testing.T) (*checkTB, *Server) {
	t.Helper()
	tb, s := capturedFake(t)
	s.AddPullRequest(testRepo, PR{Number: 1, Title: "t", HeadSHA: headSHA, BaseSHA: baseSHA,
		Files: []File{{Path: "a.go", Patch: patchFor(1), Status: "bogus"}}})
	return tb, s
}

const brokenPath = "/repos/" + testRepo + "/pulls/1/files"

// wantBrokenReport checks that exactly the planted bug was reported.
func wantBrokenReport(t *testing.T, got []string) {
	t.Helper()
	want := "githubtest: bug in the fake: response to pulls/list-files (GET " + brokenPath + ") breaks the contract"
	if len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], "bogus") {
		t.Errorf("reported %q, want one error starting %q and naming the bad value", got, want)
	}
}

// holdChecks makes the fake look busy (a request in flight), so no
// deferred check can run on its own until the returned release is
// called.
func holdChecks(s *Server) (release func()) {
	s.checks.begin()
	return s.checks.end
}

// eventually polls cond for up to ten seconds.
func eventually(t *testing.T, cond func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

func TestBrokenResponseCheckedAfterWrite(t *testing.T) {
	t.Parallel()
	tb, s := brokenFake(t)
	release := holdChecks(s)
	// The answer arrives although its check cannot run yet: it is not on
	// the request path.
	status, body := raw(t, s, http.MethodGet, brokenPath, "")
	if status != http.StatusOK || !strings.Contains(body, `"bogus"`) {
		t.Fatalf("status %d, body %s; want the broken 200", status, body)
	}
	if got := tb.reported(); len(got) != 0 {
		t.Errorf("reported %q while the check was held", got)
	}
	release()
	s.Flush()
	wantBrokenReport(t, tb.reported())
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("a bug in the fake became a client violation: %q", v)
	}
}

func TestCleanupWaitsForChecks(t *testing.T) {
	t.Parallel()
	tb, s := brokenFake(t)
	release := holdChecks(s)
	if status, _ := raw(t, s, http.MethodGet, brokenPath, ""); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tb.runCleanups()
	}()
	release()
	<-done
	wantBrokenReport(t, tb.reported())
}

func TestChecksInlineWhenQueueFull(t *testing.T) {
	t.Parallel()
	tb, s := brokenFake(t)
	for range maxPendingChecks {
		if !s.checks.reserve() {
			t.Fatal("reserve failed below the cap")
		}
	}
	if s.checks.reserve() {
		t.Fatal("reserve succeeded at the cap")
	}
	// With the queue full the check runs before the answer is written,
	// so it has been reported when the client has its answer.
	if status, _ := raw(t, s, http.MethodGet, brokenPath, ""); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	wantBrokenReport(t, tb.reported())
	for range maxPendingChecks {
		s.checks.done()
	}
	s.Flush()
	if got := tb.reported(); len(got) != 1 {
		t.Errorf("reported %d errors after draining, want still 1: %q", len(got), got)
	}
}

func TestValidResponsesReportNothing(t *testing.T) {
	t.Parallel()
	tb, s := capturedFake(t)
	var files []File
	for i := range 150 { // two pages
		files = append(files, File{Path: fmt.Sprintf("f%d.go", i), Patch: patchFor(1)})
	}
	s.AddPullRequest(testRepo, PR{Number: 1, Title: "t", HeadSHA: headSHA, BaseSHA: baseSHA, Files: files})
	for _, page := range []string{"1", "2"} {
		if status, _ := raw(t, s, http.MethodGet, brokenPath+"?per_page=100&page="+page, ""); status != http.StatusOK {
			t.Fatalf("page %s: status %d", page, status)
		}
	}
	s.Flush()
	if got := tb.reported(); len(got) != 0 {
		t.Errorf("valid responses reported: %q", got)
	}
	if n := len(s.Calls("pulls/list-files")); n != 2 {
		t.Errorf("recorded %d list-files calls, want 2", n)
	}
}

func TestChecksWaitForQuiet(t *testing.T) {
	t.Parallel()
	tb, s := brokenFake(t)
	s.checks = newCheckQueue(time.Millisecond)
	release := holdChecks(s) // another request is being served
	if status, _ := raw(t, s, http.MethodGet, brokenPath, ""); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	time.Sleep(50 * time.Millisecond) // fifty quiet periods, had the fake been quiet
	if got := tb.reported(); len(got) != 0 {
		t.Fatalf("checked while a request was in flight: %q", got)
	}
	release()
	// No Flush: once quiet, the check runs on its own.
	if !eventually(t, func() bool { return len(tb.reported()) > 0 }) {
		t.Fatal("the check never ran after the fake went quiet")
	}
	wantBrokenReport(t, tb.reported())
}

func TestFlushDoesNotWaitForQuiet(t *testing.T) {
	t.Parallel()
	tb, s := brokenFake(t)
	s.checks = newCheckQueue(time.Hour)
	if status, _ := raw(t, s, http.MethodGet, brokenPath, ""); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if got := tb.reported(); len(got) != 0 {
		t.Fatalf("checked before the quiet hour: %q", got)
	}
	s.Flush() // would block for an hour if it waited for quiet
	wantBrokenReport(t, tb.reported())
}
