package server

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/templates"
)

// comment adds user's comment to pull request pr on the fake (so the app
// can react to it) and delivers its issue_comment "created" event;
// edit, if set, changes the payload first.
func (w *world) comment(pr int, user, body string, edit func(map[string]any)) int64 {
	w.t.Helper()
	id := w.fake.AddIssueComment(e2eRepo, pr, user, body)
	w.deliver("issue_comment", w.payload("issue_comment", "created.with-installation",
		githubtest.WebhookPatch{PR: pr, Sender: user, CommentID: id, CommentBody: body}, edit))
	return id
}

// reactions are the app's reactions to comment id.
func (w *world) reactions(pr int, id int64) []string {
	var out []string
	for _, c := range w.fake.IssueComments(e2eRepo, pr) {
		if c.ID == id {
			for _, r := range c.Reactions {
				out = append(out, r.Content)
			}
		}
	}
	return out
}

// replies are the app's conversation comments on pr.
func (w *world) replies(pr int) []string {
	var out []string
	for _, c := range w.fake.IssueComments(e2eRepo, pr) {
		if strings.HasSuffix(c.User, "[bot]") {
			out = append(out, c.Body)
		}
	}
	return out
}

// commandJobs counts the command jobs River holds.
func (w *world) commandJobs() int {
	w.t.Helper()
	var n int
	if err := w.srv.st.QueryRow(context.Background(), "SELECT count(*) FROM river_job WHERE kind = ?", "picket_command").Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestCommandsThroughTheServer drives /picket commands through the whole
// server: signed issue_comment deliveries, the command worker on River,
// the collaborator permission API, reactions and replies on the fake
// GitHub, and the rescans they cause on the real git server.
func TestCommandsThroughTheServer(t *testing.T) {
	w := newWorld(t, map[string]string{"app/config.py": "NAME = \"svc\"\n"}, worldOptions{poll: 20 * time.Millisecond})
	// The installation grants exactly what app.yml asks for: every call
	// the commands make must fit the manifest's least permissions.
	w.fake.AddInstallation(githubtest.Installation{ID: e2eInst, AppID: e2eApp, Account: e2eOwner, Permissions: Permissions})
	w.fake.SetPermission(e2eRepo, "wendy", githubtest.PermWrite)
	w.fake.SetPermission(e2eRepo, "rita", githubtest.PermRead)
	content, _ := leakyFile(rand.New(rand.NewPCG(9, 9)), 1)
	head := w.push(1, "", map[string]string{"app/config.py": "NAME = \"svc\"\n" + content})
	w.opened(1, "", head)
	w.waitJob(head)
	w.settle()
	if runs := w.runs(head); len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Fatalf("after opened: %+v, want one failed check run", runs)
	}
	comments := w.fake.Comments(e2eRepo, 1)
	if len(comments) != 1 {
		t.Fatalf("after opened: %d review comments, want 1", len(comments))
	}
	fp, ok := templates.ParseMarker(comments[0].Body)
	if !ok || !strings.Contains(comments[0].Body, fp.Short()) {
		t.Fatalf("the review comment shows no finding id:\n%s", comments[0].Body)
	}

	t.Run("rescan by a writer after a completed scan", func(t *testing.T) {
		id := w.comment(1, "wendy", "/picket rescan", nil)
		w.waitJob(head)
		w.settle()
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes", "rocket"}) {
			t.Errorf("reactions = %v, want eyes then rocket", got)
		}
		runs := w.runs(head)
		if len(runs) != 2 || runs[1].Status != "completed" || runs[1].Conclusion != "failure" {
			t.Errorf("check runs = %+v, want a second, completed with failure", runs)
		}
		if r := w.replies(1); len(r) != 0 {
			t.Errorf("replies = %q, want none (the reactions say it)", r)
		}
	})

	t.Run("rescan by a reader", func(t *testing.T) {
		before := len(w.runs(head))
		id := w.comment(1, "rita", "/picket rescan", nil)
		w.settle()
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes"}) {
			t.Errorf("reactions = %v, want eyes only", got)
		}
		r := w.replies(1)
		if len(r) != 1 || !strings.HasPrefix(r[0], "@rita sorry, only people with write, maintain or admin permission") {
			t.Errorf("replies = %q, want one polite refusal to @rita", r)
		}
		if n := len(w.runs(head)); n != before {
			t.Errorf("check runs = %d, want still %d (no scan)", n, before)
		}
	})

	t.Run("help", func(t *testing.T) {
		before := len(w.replies(1))
		id := w.comment(1, "wendy", "/picket help", nil)
		w.settle()
		r := w.replies(1)
		if len(r) != before+1 || !strings.Contains(r[len(r)-1], "`/picket ignore <id> <reason>`") {
			t.Errorf("replies = %q, want the help added", r)
		}
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes", "rocket"}) {
			t.Errorf("reactions = %v, want eyes then rocket", got)
		}
	})

	t.Run("another bot's forged reply marker", func(t *testing.T) {
		// The worker knows the app's bot user (read from GET /app at
		// start-up), so a marker in another bot's comment does not make
		// it believe it already answered.
		body := "/picket help"
		id := w.fake.AddIssueComment(e2eRepo, 1, "wendy", body)
		w.fake.AddIssueComment(e2eRepo, 1, "mallory[bot]", "answered "+templates.ReplyMarker(id))
		w.deliver("issue_comment", w.payload("issue_comment", "created.with-installation",
			githubtest.WebhookPatch{PR: 1, Sender: "wendy", CommentID: id, CommentBody: body}, nil))
		w.settle()
		n := 0
		for _, c := range w.fake.IssueComments(e2eRepo, 1) {
			if c.User == "picket[bot]" && templates.RepliesTo(c.Body, id) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Picket's replies to comment %d = %d, want 1", id, n)
		}
	})

	t.Run("ignore by short id", func(t *testing.T) {
		id := w.comment(1, "wendy", "/picket ignore "+fp.Short()+" false positive, test key", nil)
		w.waitJob(head)
		w.settle()
		igs, err := w.srv.st.Ignores(context.Background(), e2eRepo, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(igs) != 1 || igs[0].ID != fp.Short() || igs[0].PR != 1 || igs[0].By != "wendy" || igs[0].Reason != "false positive, test key" {
			t.Errorf("stored ignores = %+v", igs)
		}
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes", "rocket"}) {
			t.Errorf("reactions = %v, want eyes then rocket", got)
		}
		r := w.replies(1)
		if len(r) == 0 || !strings.HasPrefix(r[len(r)-1], "@wendy finding `"+fp.Short()+"` is ignored on this pull request: false positive, test key.") {
			t.Errorf("last reply = %q, want the confirmation", r)
		}
		runs := w.runs(head)
		last := runs[len(runs)-1]
		if last.Status != "completed" || last.Conclusion != "success" {
			t.Errorf("check run after the ignore: %s/%s, want completed/success; summary:\n%s", last.Status, last.Conclusion, last.Summary)
		}
		if want := "Ignored by @wendy: false positive, test key (this pull request)"; !strings.Contains(last.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, last.Summary)
		}
		if len(last.Annotations) != 0 {
			t.Errorf("annotations = %d, want none for an ignored finding", len(last.Annotations))
		}
		if n := len(w.fake.Comments(e2eRepo, 1)); n != 1 {
			t.Errorf("review comments = %d, want still 1", n)
		}
		if !w.fake.ThreadResolved(e2eRepo, comments[0].ID) {
			t.Error("the ignored finding's thread is still open")
		}
	})

	t.Run("ignore for the repository covers another pull request", func(t *testing.T) {
		w.comment(1, "wendy", "/picket ignore "+string(fp)+" vendored test fixture --repo", nil)
		w.settle()
		igs, err := w.srv.st.Ignores(context.Background(), e2eRepo, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(igs) != 1 || igs[0].PR != 0 || igs[0].ID != string(fp) {
			t.Fatalf("repository ignores = %+v, want the fingerprint", igs)
		}
		// Pull request 2 introduces the same token in the same file: the
		// same fingerprint, accepted for the whole repository.
		head2 := w.push(2, "", map[string]string{"app/config.py": "NAME = \"svc\"\n" + content, "docs/two.md": "two\n"})
		w.opened(2, "", head2)
		w.waitJob(head2)
		runs := w.runs(head2)
		if len(runs) != 1 || runs[0].Conclusion != "success" {
			t.Fatalf("pull request 2's check runs: %+v, want one success", runs)
		}
		if want := "Ignored by @wendy: vendored test fixture (repository)"; !strings.Contains(runs[0].Summary, want) {
			t.Errorf("pull request 2's summary lacks %q:\n%s", want, runs[0].Summary)
		}
		if n := len(w.fake.Comments(e2eRepo, 2)); n != 0 {
			t.Errorf("pull request 2 got %d review comments, want none", n)
		}
	})

	t.Run("the app's own comment", func(t *testing.T) {
		jobs := w.commandJobs()
		id := w.comment(1, "picket[bot]", "/picket rescan", func(m map[string]any) {
			jsonObj(m, "sender")["type"] = "Bot"
			jsonObj(m, "comment", "user")["type"] = "Bot"
			jsonObj(m, "comment")["performed_via_github_app"] = map[string]any{
				"id": e2eApp, "slug": "picket", "node_id": "A_1", "name": "Picket", "description": "", "external_url": "https://example.invalid",
				"html_url": "https://github.com/apps/picket", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
				"owner": m["sender"], "permissions": map[string]any{}, "events": []any{},
			}
		})
		w.settle()
		if n := w.commandJobs(); n != jobs {
			t.Errorf("command jobs = %d, want still %d", n, jobs)
		}
		if got := w.reactions(1, id); len(got) != 0 {
			t.Errorf("reactions = %v, want none", got)
		}
	})

	t.Run("an edited comment", func(t *testing.T) {
		jobs := w.commandJobs()
		id := w.fake.AddIssueComment(e2eRepo, 1, "wendy", "/picket rescan")
		w.deliver("issue_comment", w.payload("issue_comment", "edited",
			githubtest.WebhookPatch{PR: 1, Sender: "wendy", CommentID: id, CommentBody: "/picket rescan"}, nil))
		w.settle()
		if n := w.commandJobs(); n != jobs {
			t.Errorf("command jobs = %d, want still %d", n, jobs)
		}
		if got := w.reactions(1, id); len(got) != 0 {
			t.Errorf("reactions = %v, want none", got)
		}
	})

	t.Run("installation created and repositories added", func(t *testing.T) {
		w.deliver("installation", w.payload("installation", "created", githubtest.WebhookPatch{}, nil))
		w.deliver("installation_repositories", w.payload("installation_repositories", "added", githubtest.WebhookPatch{}, nil))
		in, err := w.srv.st.Installation(context.Background(), e2eInst)
		if err != nil {
			t.Fatalf("installation not recorded: %v", err)
		}
		if in.Account != "Codertocat" || in.Deleted || in.Suspended {
			t.Errorf("installation = %+v", in)
		}
		repos, err := w.srv.st.InstallationRepos(context.Background(), e2eInst)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(repos, []string{"Codertocat/Hello-World", "Codertocat/Space"}) {
			t.Errorf("repositories = %v", repos)
		}
	})

	t.Run("unignore brings the finding back", func(t *testing.T) {
		// The finding is ignored twice by now: on this pull request by its
		// short id, and in the repository by its fingerprint. Each scope
		// is undone by the short id the summary shows.
		id := w.comment(1, "wendy", "/picket unignore "+fp.Short(), nil)
		w.settle()
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes", "rocket"}) {
			t.Errorf("reactions = %v, want eyes then rocket", got)
		}
		igs, err := w.srv.st.Ignores(context.Background(), e2eRepo, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(igs) != 1 || igs[0].PR != 0 {
			t.Fatalf("ignores after the pull request's unignore = %+v, want the repository's only", igs)
		}
		r := w.replies(1)
		if len(r) == 0 || !strings.HasPrefix(r[len(r)-1], "@wendy finding `"+fp.Short()+"` is no longer ignored on this pull request") ||
			!strings.Contains(r[len(r)-1], "It is still ignored in the whole repository") {
			t.Errorf("last reply = %q, want the confirmation and the repository-wide hint", r[len(r)-1])
		}
		runs := w.runs(head)
		last := runs[len(runs)-1]
		if last.Conclusion != "success" || !strings.Contains(last.Summary, "Ignored by @wendy: vendored test fixture (repository)") ||
			strings.Contains(last.Summary, "(this pull request)") {
			t.Errorf("check run with the repository's ignore left: %s, summary:\n%s", last.Conclusion, last.Summary)
		}

		id = w.comment(1, "wendy", "/picket unignore "+fp.Short()+" --repo", nil)
		w.settle()
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes", "rocket"}) {
			t.Errorf("reactions = %v, want eyes then rocket", got)
		}
		if igs, err := w.srv.st.Ignores(context.Background(), e2eRepo, 1); err != nil || len(igs) != 0 {
			t.Fatalf("ignores after the repository's unignore = %+v (%v), want none", igs, err)
		}
		r = w.replies(1)
		if !strings.HasPrefix(r[len(r)-1], "@wendy finding `"+fp.Short()+"` is no longer ignored in this repository") {
			t.Errorf("last reply = %q, want the confirmation", r[len(r)-1])
		}
		runs = w.runs(head)
		last = runs[len(runs)-1]
		if last.Status != "completed" || last.Conclusion != "failure" {
			t.Errorf("check run after both unignores: %s/%s, want completed/failure; summary:\n%s", last.Status, last.Conclusion, last.Summary)
		}
		if strings.Contains(last.Summary, "### Ignored") || strings.Contains(last.Summary, "Ignored by") {
			t.Errorf("summary still lists the finding as ignored:\n%s", last.Summary)
		}
		if !strings.Contains(last.Summary, fp.Short()) || len(last.Annotations) == 0 {
			t.Errorf("the finding is not back: %d annotations, summary:\n%s", len(last.Annotations), last.Summary)
		}
		// What the review shows (the publisher never reopens a thread): the
		// finding's comment is not posted again and its thread stays
		// resolved, as the reply says.
		if n := len(w.fake.Comments(e2eRepo, 1)); n != 1 {
			t.Errorf("review comments = %d, want still 1", n)
		}
		if !w.fake.ThreadResolved(e2eRepo, comments[0].ID) {
			t.Error("the finding's thread was reopened; the reply and docs/commands.md say it stays resolved")
		}

		// Undoing it again: nothing to undo, no rescan.
		before := len(w.runs(head))
		id = w.comment(1, "wendy", "/picket unignore "+fp.Short()+" --repo", nil)
		w.settle()
		if got := w.reactions(1, id); !slices.Equal(got, []string{"eyes"}) {
			t.Errorf("reactions = %v, want eyes only", got)
		}
		r = w.replies(1)
		if !strings.Contains(r[len(r)-1], "is not ignored in this repository, so there is nothing to undo.") {
			t.Errorf("last reply = %q, want the not-ignored answer", r[len(r)-1])
		}
		if n := len(w.runs(head)); n != before {
			t.Errorf("check runs = %d, want still %d", n, before)
		}
	})
}
