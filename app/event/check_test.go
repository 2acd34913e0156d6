package event_test

import (
	"context"
	"testing"

	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/webhook"
)

func TestCheckEventsRescan(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	const sha = "3333333333333333333333333333333333333333"
	lookup := func(_ context.Context, repo, head string) ([]int, error) {
		if repo == "acme/app" && head == sha {
			return []int{41}, nil
		}
		return nil, nil
	}
	tests := []struct {
		name, event, file string
		patch             githubtest.WebhookPatch
		opts              event.Options
		wantPRs           []int
	}{
		{"re-run button, fork head mapped by lookup", "check_run", "rerequested",
			githubtest.WebhookPatch{Repo: "acme/app", HeadSHA: sha, CheckRunName: "Picket", InstallationID: 5}, event.Options{Lookup: lookup}, []int{41}},
		{"re-run without lookup: nothing", "check_run", "rerequested",
			githubtest.WebhookPatch{Repo: "acme/app", HeadSHA: sha, CheckRunName: "Picket"}, event.Options{}, nil},
		{"another app's check run", "check_run", "rerequested",
			githubtest.WebhookPatch{Repo: "acme/app", HeadSHA: sha, CheckRunName: "Picket"}, event.Options{Lookup: lookup, AppID: 999999}, nil},
		{"another check's name", "check_run", "rerequested",
			githubtest.WebhookPatch{Repo: "acme/app", HeadSHA: sha, CheckRunName: "CI"}, event.Options{Lookup: lookup}, nil},
		{"re-scan button with the PR in the payload", "check_run", "requested_action",
			githubtest.WebhookPatch{Repo: "acme/app", PR: 7, HeadSHA: sha, CheckRunName: "Picket", Identifier: "rescan"}, event.Options{}, []int{7}},
		{"other requested action", "check_run", "requested_action",
			githubtest.WebhookPatch{Repo: "acme/app", PR: 7, HeadSHA: sha, CheckRunName: "Picket", Identifier: "lgtm"}, event.Options{}, nil},
		{"re-run all checks", "check_suite", "rerequested",
			githubtest.WebhookPatch{Repo: "acme/app", PR: 2, HeadSHA: sha}, event.Options{}, []int{2}},
		{"suite requested on push is left to pull_request", "check_suite", "requested",
			githubtest.WebhookPatch{Repo: "acme/app", HeadSHA: sha}, event.Options{Lookup: lookup}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := hooks.Payload(tt.event, tt.file, tt.patch)
			plan, err := event.Router(tt.opts)(context.Background(), webhook.Delivery{ID: "d", Event: tt.event, Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			var prs []int
			for _, j := range plan.Jobs {
				a := j.(jobs.ScanArgs)
				if a.HeadSHA != sha || a.Repo != "acme/app" {
					t.Errorf("args = %+v", a)
				}
				prs = append(prs, a.PR)
			}
			if len(prs) != len(tt.wantPRs) || len(prs) > 0 && prs[0] != tt.wantPRs[0] {
				t.Errorf("scans for PRs %v, want %v", prs, tt.wantPRs)
			}
			if len(plan.Heads) != 0 {
				t.Errorf("a re-run changed the recorded head: %+v", plan.Heads)
			}
		})
	}
}
