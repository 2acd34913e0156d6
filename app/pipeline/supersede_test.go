package pipeline_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/pipeline"
)

// A push that lands while a scan runs: the scan of the older head closes
// its check run as superseded and posts no review, so the two scans
// never both comment on the same finding.
func TestSupersededBeforePublishingPostsNothing(t *testing.T) {
	t.Parallel()
	leaky := "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\n"
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": leaky})
	e.setNewest(strings.Repeat("f", 40)) // a newer push, recorded by its webhook
	err := e.scan(head, "opened")
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Fatalf("Scan = %v, want a JobCancel", err)
	}
	run := e.checkRun(head)
	if run.Status != "completed" || run.Conclusion != "neutral" || !strings.Contains(run.Title, "Superseded") {
		t.Errorf("check run %s/%s %q, want completed/neutral Superseded", run.Status, run.Conclusion, run.Title)
	}
	if got := len(e.gh.Calls("pulls/create-review")); got != 0 {
		t.Errorf("%d reviews posted by a superseded scan", got)
	}
}

// A job cancelled unrun because its head was superseded (an earlier
// attempt, on a replica that died, had opened the run) leaves no check
// run in progress; with no run stored it opens none.
func TestSupersededClosesAnOpenRunOnly(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": cfgBase + "X = 1\n"})
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}
	ctx := context.Background()
	if err := e.p.Superseded(ctx, args, "superseded"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.gh.CheckRuns(repo)); n != 0 {
		t.Fatalf("Superseded opened %d runs, want none", n)
	}
	// An attempt that opened the run and did not finish: a scan whose
	// file listing fails, on attempt 1 of 3, leaves the run in progress.
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/pulls/{pull_number}/files", githubtest.Fault{Status: http.StatusBadGateway})
	if err := e.p.Scan(pipeline.WithAttempt(ctx, 1, 3), args); err == nil {
		t.Fatal("Scan with pulls/files failing = nil, want an error to retry")
	}
	if run := e.checkRun(head); run.Status != "in_progress" {
		t.Fatalf("status %q, want in_progress until the retry", run.Status)
	}
	if err := e.p.Superseded(ctx, args, "superseded by a newer push"); err != nil {
		t.Fatal(err)
	}
	if run := e.checkRun(head); run.Status != "completed" || run.Conclusion != "neutral" || !strings.Contains(run.Summary, "superseded by a newer push") {
		t.Errorf("run %s/%s %q, want completed/neutral saying why", run.Status, run.Conclusion, run.Summary)
	}
}
