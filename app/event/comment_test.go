package event_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/command"
	"github.com/picketsec/picket/app/commands"
	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/webhook"
)

// edit decodes a payload, changes it and encodes it again, checking the
// result still follows GitHub's schema.
func edit(t *testing.T, hooks *githubtest.Webhooks, ev string, body []byte, fn func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks.Validate(ev, out); err != nil {
		t.Fatalf("edited payload breaks GitHub's schema: %v", err)
	}
	return out
}

func TestIssueCommentRouting(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	const appID = 42
	patch := func(body string) githubtest.WebhookPatch {
		return githubtest.WebhookPatch{InstallationID: 77, Repo: "acme/app", PR: 12, Sender: "alice", CommentID: 9001, CommentBody: body}
	}
	asApp := func(id int64) func(map[string]any) {
		return func(m map[string]any) {
			m["comment"].(map[string]any)["performed_via_github_app"] = map[string]any{
				"id": id, "slug": "picket", "node_id": "A_1", "name": "Picket", "description": "", "external_url": "https://example.invalid",
				"html_url": "https://github.com/apps/picket", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
				"owner": m["sender"], "permissions": map[string]any{}, "events": []any{},
			}
		}
	}
	asBot := func(m map[string]any) {
		m["sender"].(map[string]any)["type"] = "Bot"
		m["comment"].(map[string]any)["user"].(map[string]any)["type"] = "Bot"
	}
	plainIssue := func(m map[string]any) { delete(m["issue"].(map[string]any), "pull_request") }

	tests := []struct {
		name string
		file string
		body string
		edit func(map[string]any)
		want *commands.CommandArgs // nil: no job
	}{
		{name: "rescan", file: "created.with-installation", body: "/picket rescan",
			want: &commands.CommandArgs{Outcome: commands.OutcomeRun, Command: command.Command{Name: command.Rescan}}},
		{name: "ignore for the repository, after other text", file: "created.with-installation", body: "Looks like test data.\n/picket ignore 0123456789 test key --repo",
			want: &commands.CommandArgs{Outcome: commands.OutcomeRun, Command: command.Command{Name: command.Ignore, ID: "0123456789", Reason: "test key", Repo: true}}},
		{name: "help", file: "created.with-installation", body: "/picket help",
			want: &commands.CommandArgs{Outcome: commands.OutcomeRun, Command: command.Command{Name: command.Help}}},
		{name: "usage error is answered", file: "created.with-installation", body: "/picket ignore",
			want: &commands.CommandArgs{Outcome: commands.OutcomeReply}},
		{name: "not a command", file: "created.with-installation", body: "LGTM, thanks!"},
		{name: "quoted command", file: "created.with-installation", body: "> /picket rescan\nWhy?"},
		{name: "edited comment", file: "edited", body: "/picket rescan"},
		{name: "comment on a plain issue", file: "created.with-installation", body: "/picket rescan", edit: plainIssue},
		{name: "a bot's comment", file: "created.with-installation", body: "/picket rescan", edit: asBot},
		{name: "this app's comment", file: "created.with-installation", body: "/picket rescan", edit: asApp(appID)},
		{name: "another app acting for a person", file: "created.with-installation", body: "/picket rescan", edit: asApp(7),
			want: &commands.CommandArgs{Outcome: commands.OutcomeRun, Command: command.Command{Name: command.Rescan}}},
	}
	route := event.Router(event.Options{AppID: appID})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := hooks.Payload("issue_comment", tt.file, patch(tt.body))
			if tt.edit != nil {
				payload = edit(t, hooks, "issue_comment", payload, tt.edit)
			}
			plan, err := route(context.Background(), webhook.Delivery{ID: "d-1", Event: "issue_comment", Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Heads) != 0 || len(plan.Installations) != 0 {
				t.Errorf("plan records heads or installations: %+v", plan)
			}
			if tt.want == nil {
				if len(plan.Jobs) != 0 {
					t.Fatalf("jobs = %+v, want none", plan.Jobs)
				}
				return
			}
			if len(plan.Jobs) != 1 {
				t.Fatalf("jobs = %+v, want one", plan.Jobs)
			}
			got, ok := plan.Jobs[0].(commands.CommandArgs)
			if !ok {
				t.Fatalf("job is %T, want commands.CommandArgs", plan.Jobs[0])
			}
			if got.CommentAt.IsZero() {
				t.Error("CommentAt is not set")
			}
			want := *tt.want
			want.InstallationID, want.Repo, want.PR, want.CommentID, want.Author, want.DeliveryID = 77, "acme/app", 12, 9001, "alice", "d-1"
			want.CommentAt = got.CommentAt
			if want.Outcome == commands.OutcomeReply {
				if got.Reply == "" {
					t.Error("a usage error carries no reply")
				}
				want.Reply = got.Reply
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommandArgsUniqueByComment(t *testing.T) {
	opts := commands.CommandArgs{}.InsertOpts()
	if !opts.UniqueOpts.ByArgs || opts.UniqueOpts.ByState != nil {
		t.Errorf("unique opts = %+v, want by args in River's default states (completed included)", opts.UniqueOpts)
	}
}
