package event_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

func TestInstallationRouting(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	tests := []struct {
		event, file string
		want        []store.InstallationEvent
	}{
		{"installation", "created", []store.InstallationEvent{{ID: 957387, Account: "Codertocat", Action: "created", ReposAdded: []string{"Codertocat/Hello-World"}}}},
		{"installation", "created.with-requester", nil}, // filled below from the file
		{"installation", "deleted", []store.InstallationEvent{{ID: 2, Account: "octocat", Action: "deleted"}}},
		{"installation", "new_permissions_accepted", nil},
		{"installation_repositories", "added", []store.InstallationEvent{{ID: 957387, Account: "Codertocat", Action: "added", ReposAdded: []string{"Codertocat/Space"}}}},
		{"installation_repositories", "removed", []store.InstallationEvent{{ID: 2, Account: "octocat", Action: "removed", ReposRemoved: []string{"octocat/Hello-World"}}}},
	}
	route := event.Router(event.Options{})
	for _, tt := range tests {
		t.Run(tt.event+"/"+tt.file, func(t *testing.T) {
			payload := hooks.Payload(tt.event, tt.file, githubtest.WebhookPatch{})
			plan, err := route(context.Background(), webhook.Delivery{ID: "d", Event: tt.event, Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Jobs) != 0 || len(plan.Heads) != 0 {
				t.Errorf("plan has jobs or heads: %+v", plan)
			}
			if len(plan.Installations) != 1 {
				t.Fatalf("installations = %+v, want one", plan.Installations)
			}
			got := plan.Installations[0]
			if tt.want == nil {
				// Files whose ids the test does not spell out: the action
				// and an id must still be read.
				if got.ID == 0 || got.Action != fileAction(tt.file) {
					t.Errorf("installation = %+v", got)
				}
				return
			}
			if diff := cmp.Diff(tt.want[0], got); diff != "" {
				t.Errorf("installation (-want +got):\n%s", diff)
			}
		})
	}
}

func fileAction(file string) string {
	for i := range file {
		if file[i] == '.' {
			return file[:i]
		}
	}
	return file
}

func TestInstallationIgnoredActions(t *testing.T) {
	route := event.Router(event.Options{})
	for _, tc := range []struct{ event, body string }{
		{"installation", `{"action":"renamed","installation":{"id":5}}`},
		{"installation_repositories", `{"action":"renamed","installation":{"id":5}}`},
	} {
		plan, err := route(context.Background(), webhook.Delivery{Event: tc.event, Payload: []byte(tc.body)})
		if err != nil || len(plan.Installations) != 0 {
			t.Errorf("%s %s: %+v, %v; want nothing", tc.event, tc.body, plan, err)
		}
	}
	if _, err := route(context.Background(), webhook.Delivery{Event: "installation", Payload: []byte(`{"action":"created"}`)}); err == nil {
		t.Error("an installation event without an id was accepted")
	}
}

// suspend and unsuspend have no example payload: the fields routing reads.
func TestInstallationSuspend(t *testing.T) {
	route := event.Router(event.Options{})
	for _, action := range []string{"suspend", "unsuspend"} {
		body := `{"action":"` + action + `","installation":{"id":5,"account":{"login":"acme"}}}`
		plan, err := route(context.Background(), webhook.Delivery{Event: "installation", Payload: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
		want := []store.InstallationEvent{{ID: 5, Account: "acme", Action: action}}
		if diff := cmp.Diff(want, plan.Installations); diff != "" {
			t.Errorf("%s (-want +got):\n%s", action, diff)
		}
	}
}

func TestEventsListed(t *testing.T) {
	want := map[string]bool{"issue_comment": true, "installation": true, "installation_repositories": true}
	for _, e := range event.Events {
		delete(want, e)
	}
	if len(want) != 0 {
		t.Errorf("event.Events lacks %v", want)
	}
}
