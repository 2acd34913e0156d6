package server

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
)

// ourApp makes a check_run or check_suite payload's app Picket's, as
// GitHub sends it for the app's own check (the examples carry other apps).
func ourApp(key string) func(map[string]any) {
	return func(m map[string]any) {
		jsonObj(m, key, "app")["id"] = e2eApp
	}
}

func jsonObj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

// TestRescanButtonsThroughTheServer: the check's Re-run button, its
// "Re-scan" requested action, "Re-run all checks" on the suite, and the
// Re-run button on a fork pull request's check (GitHub sends no pull
// requests for fork heads; the head recorded from pull_request maps it)
// each start a new scan of the same head that completes a new check run
// and posts no second comment.
func TestRescanButtonsThroughTheServer(t *testing.T) {
	tests := []struct {
		name     string
		headRepo string // a fork's owner/name
		event    string
		file     string
		patch    func(w *world, pr int, head string, runID int64) []byte
	}{
		{"re-run button (no pull requests in the payload: mapped by the stored head)", "", "check_run", "rerequested",
			func(w *world, pr int, head string, runID int64) []byte {
				return w.payload("check_run", "rerequested", githubtest.WebhookPatch{PR: pr, HeadSHA: head, BaseSHA: w.base,
					CheckRunID: runID, CheckRunName: "Picket"}, ourApp("check_run"))
			}},
		{"re-scan requested action", "", "check_run", "requested_action",
			func(w *world, pr int, head string, runID int64) []byte {
				return w.payload("check_run", "requested_action", githubtest.WebhookPatch{PR: pr, HeadSHA: head, BaseSHA: w.base,
					CheckRunID: runID, CheckRunName: "Picket", Identifier: "rescan"}, ourApp("check_run"))
			}},
		{"re-run all checks", "", "check_suite", "rerequested",
			func(w *world, pr int, head string, _ int64) []byte {
				return w.payload("check_suite", "rerequested", githubtest.WebhookPatch{PR: pr, HeadSHA: head, BaseSHA: w.base},
					ourApp("check_suite"))
			}},
		{"re-scan on a fork's pull request (empty pull_requests)", "forker/hello", "check_run", "requested_action",
			func(w *world, pr int, head string, runID int64) []byte {
				return w.payload("check_run", "requested_action", githubtest.WebhookPatch{PR: pr, HeadSHA: head, BaseSHA: w.base,
					HeadRepo: "forker/hello", CheckRunID: runID, CheckRunName: "Picket", Identifier: "rescan"},
					func(m map[string]any) {
						ourApp("check_run")(m)
						if prs := jsonObj(m, "check_run")["pull_requests"].([]any); len(prs) != 0 {
							t.Fatalf("the fork payload carries pull requests: %v", prs)
						}
					})
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, map[string]string{"app/config.py": "NAME = \"svc\"\n"}, worldOptions{poll: 20 * time.Millisecond})
			pr := 3 + i
			content, _ := leakyFile(rand.New(rand.NewPCG(uint64(i), 1)), 1)
			head := w.push(pr, tt.headRepo, map[string]string{"app/config.py": "NAME = \"svc\"\n" + content})
			w.opened(pr, tt.headRepo, head)
			w.waitJob(head)
			first := w.runs(head)
			if len(first) != 1 || first[0].Status != "completed" {
				t.Fatalf("after opened: check runs %+v, want one completed", first)
			}
			if n := len(w.fake.Comments(e2eRepo, pr)); n != 1 {
				t.Fatalf("after opened: %d comments, want 1", n)
			}

			// A re-scan asked for while the first scan's job is still
			// recorded as running is a duplicate of it (River's unique
			// states); a person clicks after the check run completed.
			w.settle()
			w.deliver(tt.event, tt.patch(w, pr, head, first[0].ID))
			w.waitJob(head)
			runs := w.runs(head)
			if len(runs) != 2 {
				t.Fatalf("after the re-scan: %d check runs of the head, want 2 (a new one)", len(runs))
			}
			for _, r := range runs {
				if r.Status != "completed" || r.Conclusion != "failure" {
					t.Errorf("check run %d: %s/%s, want completed/failure", r.ID, r.Status, r.Conclusion)
				}
			}
			if got := runs[1].Annotations; len(got) != 1 {
				t.Errorf("new run's annotations = %d, want 1", len(got))
			}
			if n := len(w.fake.Comments(e2eRepo, pr)); n != 1 {
				t.Errorf("after the re-scan: %d comments, want still 1 (no duplicate)", n)
			}
			if n := len(w.fake.Reviews(e2eRepo, pr)); n != 1 {
				t.Errorf("after the re-scan: %d reviews, want still 1", n)
			}
			if n := w.done.count(); n != 2 {
				t.Errorf("scan jobs done = %d, want 2", n)
			}
		})
	}
}
