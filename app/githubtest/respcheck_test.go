package githubtest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
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

// holdChecks occupies every check worker, so no deferred check can run
// until the returned release is called.
func holdChecks(s *Server) (release func()) {
	for range checkWorkers {
		s.checks.sem <- struct{}{}
	}
	return func() {
		for range checkWorkers {
			<-s.checks.sem
		}
	}
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
