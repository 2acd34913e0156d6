package pipeline_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/diff/gittest"
)

func TestServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/pulls/{pull_number}/files", githubtest.Fault{Status: http.StatusInternalServerError, Times: 1})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := len(e.gh.Calls("pulls/list-files")); got != 2 {
		t.Errorf("list-files calls = %d, want 2 (a 500, then the retry)", got)
	}
	if run := e.checkRun(head); run.Status != "completed" || run.Conclusion != "success" {
		t.Errorf("check run %s/%s, want completed/success", run.Status, run.Conclusion)
	}
}

func TestFailingForGoodCompletesTheCheck(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/pulls/{pull_number}/files", githubtest.Fault{Status: http.StatusBadGateway})
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}

	// An early attempt leaves the check in progress for River's retry.
	if err := e.p.Scan(pipeline.WithAttempt(context.Background(), 1, 3), args); err == nil {
		t.Fatal("Scan(attempt 1 of 3) = nil, want the transient error for a retry")
	}
	if run := e.checkRun(head); run.Status != "in_progress" {
		t.Errorf("after attempt 1: status %q, want in_progress", run.Status)
	}
	// The last attempt completes it, neutral with the reason.
	err := e.p.Scan(pipeline.WithAttempt(context.Background(), 3, 3), args)
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Errorf("Scan(last attempt) = %v, want a river.JobCancel", err)
	}
	run := e.checkRun(head)
	if run.Status != "completed" || run.Conclusion != "neutral" {
		t.Errorf("check run %s/%s, want completed/neutral", run.Status, run.Conclusion)
	}
	if !strings.Contains(run.Summary+run.Text+run.Title, "502") && !strings.Contains(strings.ToLower(run.Summary+run.Text), "list files") {
		t.Errorf("the neutral check does not say why:\n%s\n%s", run.Summary, run.Text)
	}
}

// A configuration that cannot be read for a transient reason is retried
// rather than scanned with the defaults.
func TestTransientConfigLoadRetried(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, ".github/picket.yml": "fail_on: critical\n"})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/contents/{path}", githubtest.Fault{Status: http.StatusServiceUnavailable})
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}
	if err := e.p.Scan(pipeline.WithAttempt(context.Background(), 1, 8), args); err == nil {
		t.Fatal("Scan = nil, want the load error for a retry")
	}
	// The file listing runs beside the configuration's read; nothing
	// after both may happen.
	if got := e.takeWants(); len(got) != 0 {
		t.Errorf("blobs fetched %v: the scan went on with the defaults", got)
	}
	if got := len(e.gh.Calls("pulls/create-review")); got != 0 {
		t.Errorf("%d reviews posted: the scan went on with the defaults", got)
	}
	if run := e.checkRun(head); run.Status != "in_progress" {
		t.Errorf("status %q, want in_progress until the retry", run.Status)
	}
}

// A failure no retry can fix (the pull request is gone) completes the
// check at once, neutral, and cancels the job even on its first attempt.
func TestPermanentFailureAbortsAtOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/pulls/{pull_number}", githubtest.Fault{Status: http.StatusNotFound})
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}
	err := e.p.Scan(pipeline.WithAttempt(context.Background(), 1, 8), args)
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Errorf("Scan = %v, want a river.JobCancel", err)
	}
	if run := e.checkRun(head); run.Status != "completed" || run.Conclusion != "neutral" {
		t.Errorf("check run %s/%s, want completed/neutral", run.Status, run.Conclusion)
	}
}

// A job cancelled on its last attempt (River's job timeout, a shutdown)
// still completes its check; an earlier attempt leaves it to the retry.
func TestCancelledJob(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.p.Scan(pipeline.WithAttempt(ctx, 1, 8), args); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan(cancelled, attempt 1) = %v, want context.Canceled", err)
	}
	if runs := e.gh.CheckRuns(repo); len(runs) != 0 {
		t.Errorf("check runs after an early cancelled attempt: %+v, want none yet", runs)
	}
	if err := e.p.Scan(pipeline.WithAttempt(ctx, 8, 8), args); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan(cancelled, last attempt) = %v, want context.Canceled", err)
	}
	if run := e.checkRun(head); run.Status != "completed" || run.Conclusion != "neutral" {
		t.Errorf("check run %s/%s, want completed/neutral", run.Status, run.Conclusion)
	}
}

// TestFailedScanDoesNotWaitForTheLease: the publish lease is asked for
// beside the fetch; a scan whose fetch fails while another scan holds
// the lease returns at once, giving up the wait, instead of waiting for
// the lease it no longer needs (up to two minutes).
func TestFailedScanDoesNotWaitForTheLease(t *testing.T) {
	t.Parallel()
	gaveUp := make(chan struct{})
	held := func(ctx context.Context, _ string, _ int) (func(context.Context) error, error) {
		<-ctx.Done() // another scan holds the lease
		close(gaveUp)
		return nil, ctx.Err()
	}
	refuse := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		})
	}
	e := setupWith(t, map[string]string{"app.py": "X = 0\n"}, []pipeline.Option{pipeline.WithPublishLock(held)},
		gittest.WithMiddleware(refuse))
	head := e.push(map[string]string{"app.py": "X = 1\n"})
	start := time.Now()
	if err := e.scan(head, "opened"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("Scan = %v, want the fetch's 503", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the failed scan took %v: it waited for the lease", d)
	}
	select {
	case <-gaveUp:
	default:
		t.Error("the wait for the lease was not given up")
	}
}
