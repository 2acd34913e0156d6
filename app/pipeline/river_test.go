package pipeline_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// A signed pull_request/opened delivery goes through the webhook
// handler, the event router, the Recorder and River on SQLite to the
// pipeline, which completes the check run.
func TestWebhookToCheckRunThroughRiver(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.push(map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "picket.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	workers := river.NewWorkers()
	river.AddWorker(workers, &pipeline.Worker{ScanWorker: jobs.ScanWorker{Store: st, Pipeline: e.p}})
	q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		if err := q.Stop(stop); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	const hookSecret = "hook-secret"
	h, err := webhook.New(hookSecret, &jobs.Recorder{Store: st, Queue: q, Route: event.Router(event.Options{})}, event.Events)
	if err != nil {
		t.Fatal(err)
	}
	app := httptest.NewServer(h)
	t.Cleanup(app.Close)

	body := e.gh.Webhooks().Payload("pull_request", "opened", githubtest.WebhookPatch{
		InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base})
	res, err := githubtest.Deliver(ctx, app.URL, hookSecret, "pull_request", body)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusAccepted && res.Status != http.StatusOK {
		t.Fatalf("delivery answered %d", res.Status)
	}
	// Wait for the job (no speed assertion: the bound only stops a hang).
	deadline := time.Now().Add(60 * time.Second)
	for {
		// The check run may complete before the review is posted.
		runs := e.gh.CheckRuns(repo)
		if len(runs) == 1 && runs[0].Status == "completed" && len(e.gh.Reviews(repo, 1)) > 0 {
			if runs[0].Conclusion != "failure" || runs[0].HeadSHA != head {
				t.Errorf("check run %s on %.7s, want failure on %.7s", runs[0].Conclusion, runs[0].HeadSHA, head)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("check run not completed: %+v", runs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if logs := e.logs.String(); !strings.Contains(logs, `"job_id":`) || !strings.Contains(logs, `"delivery_id":"`+res.ID+`"`) {
		t.Errorf("logs lack job_id or delivery_id %s:\n%s", res.ID, logs)
	}
	if got := e.gh.Comments(repo, 1); len(got) != 1 || got[0].Line != 2 {
		t.Errorf("comments = %+v, want one on line 2", got)
	}
}
