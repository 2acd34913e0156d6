package event_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/webhook"
)

func TestPullRequestRouting(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	patch := githubtest.WebhookPatch{InstallationID: 77, Repo: "acme/app", PR: 12, HeadSHA: "1111111111111111111111111111111111111111", BaseSHA: "2222222222222222222222222222222222222222", ChangedFiles: 430}
	route := event.Router(event.Options{})
	for _, tc := range []struct {
		file    string
		scan    bool
		headSHA string
	}{
		{"opened", true, patch.HeadSHA},
		{"synchronize", true, patch.HeadSHA},
		{"reopened", true, patch.HeadSHA},
		{"ready_for_review.with-installation", true, patch.HeadSHA},
		{"closed", false, ""},
		{"edited.derived", false, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			payload := hooks.Payload("pull_request", tc.file, patch)
			plan, err := route(context.Background(), webhook.Delivery{ID: "d", Event: "pull_request", Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(plan.Jobs) == 1; got != tc.scan {
				t.Fatalf("scan = %v, want %v (%+v)", got, tc.scan, plan)
			}
			if tc.scan {
				a := plan.Jobs[0].(jobs.ScanArgs)
				if a.Repo != "acme/app" || a.PR != 12 || a.HeadSHA != patch.HeadSHA || a.BaseSHA != patch.BaseSHA || a.InstallationID != 77 || a.Files != 430 {
					t.Errorf("args = %+v", a)
				}
			}
			if tc.file == "edited.derived" {
				if len(plan.Heads) != 0 {
					t.Errorf("edited changed the head: %+v", plan.Heads)
				}
				return
			}
			if len(plan.Heads) != 1 || plan.Heads[0].SHA != tc.headSHA {
				t.Errorf("heads = %+v, want one with sha %q", plan.Heads, tc.headSHA)
			}
		})
	}
}

func TestInvalidPullRequestPayload(t *testing.T) {
	route := event.Router(event.Options{})
	for _, body := range []string{`{"action":"opened","pull_request":"nope"}`, `{"action":"opened"}`} {
		_, err := route(context.Background(), webhook.Delivery{Event: "pull_request", Payload: []byte(body)})
		if !errors.Is(err, webhook.ErrInvalidPayload) {
			t.Errorf("route(%s) = %v, want ErrInvalidPayload", body, err)
		}
	}
}

func TestDraftsWaitUnlessEnabled(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	payload := hooks.Payload("pull_request", "opened", githubtest.WebhookPatch{InstallationID: 1, Repo: "acme/app", PR: 3})
	draft := bytes.Replace(payload, []byte(`"draft":false`), []byte(`"draft":true`), 1)
	if bytes.Equal(draft, payload) {
		t.Fatal("example payload has no draft field to flip")
	}
	d := webhook.Delivery{Event: "pull_request", Payload: draft}
	plan, err := event.Router(event.Options{})(context.Background(), d)
	if err != nil || len(plan.Jobs) != 0 || len(plan.Heads) != 1 {
		t.Errorf("draft with drafts off: %+v, %v; want a head and no job", plan, err)
	}
	plan, err = event.Router(event.Options{Drafts: true})(context.Background(), d)
	if err != nil || len(plan.Jobs) != 1 {
		t.Errorf("draft with drafts on: %+v, %v; want a job", plan, err)
	}
}
