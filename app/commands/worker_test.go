package commands_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/command"
	"github.com/picketsec/picket/app/commands"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/templates"
)

const (
	owner, name = "octo-org", "hello"
	repo        = owner + "/" + name
	inst        = 7
	head        = "1111111111111111111111111111111111111111"
	base        = "2222222222222222222222222222222222222222"
	fp          = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// memIgnores is an in-memory commands.Ignores.
type memIgnores struct {
	mu        sync.Mutex
	all       []store.Ignore
	err       error // of AddIgnore
	removeErr error // of RemoveIgnore
}

// RemoveIgnore deletes the ignore of exactly id in exactly scope pr, as
// the store does.
func (m *memIgnores) RemoveIgnore(_ context.Context, r string, pr int, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.removeErr != nil {
		return false, m.removeErr
	}
	for i, ig := range m.all {
		if ig.Repo == r && ig.PR == pr && ig.ID == id {
			m.all = append(m.all[:i], m.all[i+1:]...)
			return true, nil
		}
	}
	return false, nil
}

func (m *memIgnores) AddIgnore(_ context.Context, ig store.Ignore) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.all = append(m.all, ig)
	return nil
}

func (m *memIgnores) Ignores(_ context.Context, r string, pr int) ([]store.Ignore, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Ignore
	for _, ig := range m.all {
		if ig.Repo == r && (ig.PR == pr || ig.PR == 0) {
			out = append(out, ig)
		}
	}
	return out, nil
}

// queue records enqueued jobs; err, if set, is returned instead.
type queue struct {
	mu   sync.Mutex
	jobs []river.JobArgs
	err  error
}

func (q *queue) Enqueue(_ context.Context, a river.JobArgs) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	q.jobs = append(q.jobs, a)
	return nil
}

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey // read-only; one key for every test
)

type env struct {
	fake    *githubtest.Server
	ignores *memIgnores
	queue   *queue
	w       *commands.Worker
}

type static struct{ c *github.Client }

func (s static) Installation(context.Context, int64) (*github.Client, error) { return s.c, nil }

type bearer struct {
	tok  string
	base http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "token "+b.tok)
	return b.base.RoundTrip(r)
}

func setup(t *testing.T) *env {
	t.Helper()
	fake := githubtest.New(t)
	keyOnce.Do(func() { appKey, _ = githubtest.GenerateAppKey(t) })
	fake.AddApp(42, &appKey.PublicKey)
	fake.AddInstallation(githubtest.Installation{ID: inst, AppID: 42, Account: owner})
	fake.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: inst})
	fake.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: base,
		Files: []githubtest.File{{Path: "a.py", Status: "modified", Patch: "@@ -1 +1,2 @@\n x\n+y"}}})
	for user, level := range map[string]string{"wendy": githubtest.PermWrite, "mae": githubtest.PermMaintain, "ada": githubtest.PermAdmin,
		"rita": githubtest.PermRead, "tris": githubtest.PermTriage} {
		fake.SetPermission(repo, user, level)
	}
	gh := github.NewClient(&http.Client{Transport: bearer{tok: fake.IssueToken(inst), base: fake.HTTPClient().Transport}})
	u, err := url.Parse(fake.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = u
	e := &env{fake: fake, ignores: &memIgnores{}, queue: &queue{}}
	e.w = &commands.Worker{Clients: static{gh}, Ignores: e.ignores, Enqueue: e.queue, BotLogin: "picket[bot]",
		Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }}
	// A review Picket posted earlier, listing the finding fp.
	if _, _, err := gh.PullRequests.CreateReview(context.Background(), owner, name, 1, &github.PullRequestReviewRequest{
		Event: github.String("COMMENT"), Body: github.String("<!-- picket:review -->\nOne finding.\n" + templates.Marker(fp))}); err != nil {
		t.Fatal(err)
	}
	return e
}

// comment adds a person's comment and returns the job for it.
func (e *env) comment(t *testing.T, user, body string) *river.Job[commands.CommandArgs] {
	t.Helper()
	id := e.fake.AddIssueComment(repo, 1, user, body)
	a, ok := commands.FromParse(command.Parse(body))
	if !ok {
		t.Fatalf("%q is not a command", body)
	}
	a.InstallationID, a.Repo, a.PR, a.CommentID, a.Author = inst, repo, 1, id, user
	a.CommentAt = e.fake.Clock().Now().Add(-time.Second)
	return &river.Job[commands.CommandArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}, Args: a}
}

// reactions are the app's reactions on comment id.
func (e *env) reactions(id int64) []string {
	var out []string
	for _, c := range e.fake.IssueComments(repo, 1) {
		if c.ID == id {
			for _, r := range c.Reactions {
				out = append(out, r.Content)
			}
		}
	}
	return out
}

// replies are the app's comments on the pull request.
func (e *env) replies() []string {
	var out []string
	for _, c := range e.fake.IssueComments(repo, 1) {
		if c.User == "picket[bot]" {
			out = append(out, c.Body)
		}
	}
	return out
}

func TestCommands(t *testing.T) {
	t.Parallel()
	rescan := jobs.ScanArgs{InstallationID: inst, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: base, Reason: "rescan"}
	tests := []struct {
		name, user, body string
		reactions        []string
		reply            string // a substring of the one reply; "" for none
		jobs             []river.JobArgs
		seed             []store.Ignore // stored before the command
		ignores          []store.Ignore // stored after it
	}{
		{name: "rescan by a writer", user: "wendy", body: "/picket rescan",
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan}},
		{name: "rescan by a maintainer", user: "mae", body: "/picket rescan",
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan}},
		{name: "rescan by a reader", user: "rita", body: "/picket rescan",
			reactions: []string{"eyes"}, reply: "only people with write, maintain or admin permission"},
		{name: "rescan by triage", user: "tris", body: "/picket rescan",
			reactions: []string{"eyes"}, reply: "only people with write, maintain or admin permission"},
		{name: "rescan by a stranger", user: "nobody", body: "/picket rescan",
			reactions: []string{"eyes"}, reply: "only people with write, maintain or admin permission"},
		{name: "help", user: "ada", body: "/picket help",
			reactions: []string{"eyes", "rocket"}, reply: "`/picket rescan` scans the pull request again"},
		{name: "usage error", user: "ada", body: "/picket frobnicate",
			reactions: []string{"eyes"}, reply: "Unknown command `frobnicate`. Try `/picket help`."},
		{name: "bare prefix shows help", user: "ada", body: "/picket",
			reactions: []string{"eyes", "rocket"}, reply: "Picket commands, for people with write access"},
		{name: "ignore by short id", user: "wendy", body: "/picket ignore " + fp[:10] + " test key, not real",
			reactions: []string{"eyes", "rocket"}, reply: "is ignored on this pull request: test key, not real",
			jobs:    []river.JobArgs{rescan},
			ignores: []store.Ignore{{Repo: repo, PR: 1, ID: fp[:10], Reason: "test key, not real", By: "wendy"}}},
		{name: "ignore for the repository", user: "ada", body: "/picket ignore " + fp + " vendored fixture --repo",
			reactions: []string{"eyes", "rocket"}, reply: "is ignored in this repository: vendored fixture",
			jobs:    []river.JobArgs{rescan},
			ignores: []store.Ignore{{Repo: repo, PR: 0, ID: fp, Reason: "vendored fixture", By: "ada"}}},
		{name: "ignore of an unknown id", user: "wendy", body: "/picket ignore ffffffffff typo",
			reactions: []string{"eyes"}, reply: "there is no finding with id `ffffffffff`"},
		{name: "ignore by a reader", user: "rita", body: "/picket ignore " + fp[:10] + " not mine",
			reactions: []string{"eyes"}, reply: "only people with write"},
		{name: "unignore removes the pull request's ignore", user: "wendy", body: "/picket unignore " + fp[:10],
			seed:      []store.Ignore{prIgnore(1, fp[:10]), prIgnore(1, "ffffffffff"), prIgnore(2, fp[:10])},
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan},
			reply:   "@wendy finding `" + fp[:10] + "` is no longer ignored on this pull request (ignored by @\u2060ada: test key). A new scan",
			ignores: []store.Ignore{prIgnore(1, "ffffffffff"), prIgnore(2, fp[:10])}},
		{name: "unignore --repo removes the repository's ignore, typed shorter than stored", user: "mae", body: "/picket unignore --repo " + fp[:10],
			seed:      []store.Ignore{prIgnore(0, fp), prIgnore(2, fp[:10])},
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan},
			reply:   "is no longer ignored in this repository (ignored by @\u2060ada: test key)",
			ignores: []store.Ignore{prIgnore(2, fp[:10])}},
		{name: "unignore by fingerprint removes every alias in the scope", user: "wendy", body: "/picket unignore " + fp,
			seed:      []store.Ignore{prIgnore(1, fp[:10]), prIgnore(1, fp), prIgnore(1, fp[:8])},
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan},
			reply: "is no longer ignored on this pull request", ignores: []store.Ignore{}},
		{name: "unignore while the repository still ignores it", user: "wendy", body: "/picket unignore " + fp[:10],
			seed:      []store.Ignore{prIgnore(1, fp[:10]), prIgnore(0, fp[:12])},
			reactions: []string{"eyes", "rocket"}, jobs: []river.JobArgs{rescan},
			reply:   "It is still ignored in the whole repository, so it still does not count: `/picket unignore " + fp[:10] + " --repo` undoes that.",
			ignores: []store.Ignore{prIgnore(0, fp[:12])}},
		{name: "unignore of an id not ignored", user: "wendy", body: "/picket unignore " + fp[:10],
			seed:      []store.Ignore{prIgnore(1, "ffffffffff")},
			reactions: []string{"eyes"}, reply: "finding `" + fp[:10] + "` is not ignored on this pull request, so there is nothing to undo.\n",
			ignores: []store.Ignore{prIgnore(1, "ffffffffff")}},
		{name: "unignore without --repo of a repository ignore", user: "wendy", body: "/picket unignore " + fp[:10],
			seed:      []store.Ignore{prIgnore(0, fp)},
			reactions: []string{"eyes"}, reply: "is not ignored on this pull request, so there is nothing to undo. It is ignored in the whole repository: `/picket unignore " + fp[:10] + " --repo` undoes that.",
			ignores: []store.Ignore{prIgnore(0, fp)}},
		{name: "unignore --repo of a pull request's ignore", user: "wendy", body: "/picket unignore " + fp[:10] + " --repo",
			seed:      []store.Ignore{prIgnore(1, fp[:10])},
			reactions: []string{"eyes"}, reply: "is not ignored in this repository, so there is nothing to undo. It is ignored on this pull request only: `/picket unignore " + fp[:10] + "`, without `--repo`, undoes that.",
			ignores: []store.Ignore{prIgnore(1, fp[:10])}},
		{name: "unignore of a prefix two findings share", user: "wendy", body: "/picket unignore 01234567",
			seed:      []store.Ignore{prIgnore(1, fp[:10]), prIgnore(1, "01234567ff")},
			reactions: []string{"eyes"}, reply: "`01234567` matches the ignores of more than one finding (`" + fp[:10] + "`, `01234567ff`)",
			ignores: []store.Ignore{prIgnore(1, fp[:10]), prIgnore(1, "01234567ff")}},
		{name: "unignore by a reader", user: "rita", body: "/picket unignore " + fp[:10],
			seed:      []store.Ignore{prIgnore(1, fp[:10])},
			reactions: []string{"eyes"}, reply: "only people with write",
			ignores: []store.Ignore{prIgnore(1, fp[:10])}},
		{name: "unignore with a reason", user: "wendy", body: "/picket unignore " + fp[:10] + " it is real",
			seed:      []store.Ignore{prIgnore(1, fp[:10])},
			reactions: []string{"eyes"}, reply: "takes only the finding's id",
			ignores: []store.Ignore{prIgnore(1, fp[:10])}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.ignores.all = append(e.ignores.all, tt.seed...)
			job := e.comment(t, tt.user, tt.body)
			if err := e.w.Work(context.Background(), job); err != nil {
				t.Fatalf("Work: %v", err)
			}
			if diff := cmp.Diff(tt.reactions, e.reactions(job.Args.CommentID)); diff != "" {
				t.Errorf("reactions (-want +got):\n%s", diff)
			}
			replies := e.replies()
			switch {
			case tt.reply == "" && len(replies) != 0:
				t.Errorf("replies = %q, want none", replies)
			case tt.reply != "" && (len(replies) != 1 || !strings.Contains(replies[0], tt.reply)):
				t.Errorf("replies = %q, want one containing %q", replies, tt.reply)
			case tt.reply != "" && (!strings.HasPrefix(replies[0], "@"+tt.user+" ") && !strings.HasPrefix(replies[0], "Picket commands")):
				t.Errorf("reply %q does not address @%s", replies[0], tt.user)
			}
			if diff := cmp.Diff(tt.jobs, e.queue.jobs); diff != "" {
				t.Errorf("enqueued (-want +got):\n%s", diff)
			}
			for i := range e.ignores.all {
				e.ignores.all[i].At = time.Time{}
			}
			if diff := cmp.Diff(tt.ignores, e.ignores.all); diff != "" {
				t.Errorf("ignores (-want +got):\n%s", diff)
			}
		})
	}
}

// prIgnore is ada's ignore of id on pull request pr (0: the repository).
func prIgnore(pr int, id string) store.Ignore {
	return store.Ignore{Repo: repo, PR: pr, ID: id, Reason: "test key", By: "ada"}
}

// An unignore retried after any failed step replies once, removes the
// ignore and queues the rescan: the reply failed (the ignore must still
// be there), the store failed after the reply, the rescan failed after
// the removal (the retry finds its own confirmation, not "not ignored").
func TestUnignoreRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.ignores.all = []store.Ignore{prIgnore(1, fp[:10])}
	job := e.comment(t, "wendy", "/picket unignore "+fp[:10])
	work := func(step string, wantErr bool) {
		t.Helper()
		err := e.w.Work(context.Background(), job)
		if (err != nil) != wantErr {
			t.Fatalf("%s: Work = %v, want error %v", step, err, wantErr)
		}
	}

	e.fake.InjectFault("POST", "issues/create-comment", githubtest.Fault{Status: http.StatusBadGateway, Times: 1})
	work("reply fails", true)
	if n, m := len(e.replies()), len(e.ignores.all); n != 0 || m != 1 {
		t.Fatalf("after a failed reply: %d replies, %d ignores; want none and the ignore kept", n, m)
	}

	e.ignores.removeErr = errors.New("database is locked")
	work("store fails", true)
	if n, m := len(e.replies()), len(e.ignores.all); n != 1 || m != 1 {
		t.Fatalf("after a failed removal: %d replies, %d ignores; want the reply and the ignore kept", n, m)
	}

	e.ignores.removeErr = nil
	e.queue.err = errors.New("queue unavailable")
	work("rescan fails", true)
	if m := len(e.ignores.all); m != 0 {
		t.Fatalf("after the removal: %d ignores, want none", m)
	}

	e.queue.err = nil
	work("last attempt", false)
	replies := e.replies()
	if len(replies) != 1 || !strings.Contains(replies[0], "is no longer ignored on this pull request") {
		t.Errorf("replies = %q, want one confirmation", replies)
	}
	rescan := jobs.ScanArgs{InstallationID: inst, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: base, Reason: "rescan"}
	if diff := cmp.Diff([]river.JobArgs{rescan}, e.queue.jobs); diff != "" {
		t.Errorf("enqueued (-want +got):\n%s", diff)
	}
	if got := e.reactions(job.Args.CommentID); !cmp.Equal(got, []string{"eyes", "rocket"}) {
		t.Errorf("reactions = %v, want eyes and rocket", got)
	}
	// A retry of a finished job changes nothing.
	work("retry after success", false)
	if n := len(e.replies()); n != 1 {
		t.Errorf("replies after a repeated job = %d, want 1", n)
	}
}

// A "not ignored" answer is not mistaken for an earlier removal: a
// repeated job answers once and queues no rescan.
func TestNotIgnoredRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	job := e.comment(t, "wendy", "/picket unignore "+fp[:10])
	for i := range 2 {
		if err := e.w.Work(context.Background(), job); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if n := len(e.replies()); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
	if len(e.queue.jobs) != 0 {
		t.Errorf("enqueued %v, want nothing", e.queue.jobs)
	}
	if got := e.reactions(job.Args.CommentID); !cmp.Equal(got, []string{"eyes"}) {
		t.Errorf("reactions = %v, want eyes only", got)
	}
}

// A job retried after it replied (here the rescan's enqueue failed, then
// a reaction) does not reply again.
func TestRetryRepliesOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	job := e.comment(t, "wendy", "/picket ignore "+fp[:10]+" test key")
	e.queue.err = errors.New("database is locked")
	if err := e.w.Work(context.Background(), job); err == nil {
		t.Fatal("Work succeeded although the rescan could not be enqueued")
	}
	if n := len(e.replies()); n != 1 {
		t.Fatalf("replies after the first attempt = %d, want 1", n)
	}
	e.queue.err = nil
	e.fake.InjectFault("POST", "reactions/create-for-issue-comment", githubtest.Fault{Status: http.StatusInternalServerError, Times: 1})
	if err := e.w.Work(context.Background(), job); err == nil {
		t.Fatal("Work succeeded although GitHub answered 500")
	}
	if err := e.w.Work(context.Background(), job); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	if n := len(e.replies()); n != 1 {
		t.Errorf("replies after retries = %d, want 1:\n%q", n, e.replies())
	}
	if got := e.reactions(job.Args.CommentID); !cmp.Equal(got, []string{"eyes", "rocket"}) {
		t.Errorf("reactions = %v, want eyes and rocket once each", got)
	}
	// The second attempt failed at its first reaction, before the store.
	if n := len(e.ignores.all); n != 2 {
		t.Errorf("AddIgnore calls = %d, want one per attempt that got that far (an upsert)", n)
	}
}

// A reply by someone else carrying the marker does not count.
func TestForgedReplyIgnored(t *testing.T) {
	t.Parallel()
	e := setup(t)
	job := e.comment(t, "wendy", "/picket help")
	e.fake.AddIssueComment(repo, 1, "mallory", templates.ReplyMarker(job.Args.CommentID))
	if err := e.w.Work(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if n := len(e.replies()); n != 1 {
		t.Errorf("replies = %d, want 1 (a forged marker must not suppress the reply)", n)
	}
}

func TestBusyScanSnoozes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.queue.err = commands.ErrBusy
	job := e.comment(t, "wendy", "/picket rescan")
	err := e.w.Work(context.Background(), job)
	var snooze *river.JobSnoozeError
	if !errors.As(err, &snooze) {
		t.Fatalf("Work = %v, want a snooze while the scan runs", err)
	}
	job.Metadata = []byte(`{"snoozes": 1000}`)
	if err := e.w.Work(context.Background(), job); !errors.Is(err, commands.ErrBusy) {
		t.Errorf("Work after many snoozes = %v, want ErrBusy returned for River's backoff", err)
	}
	if got := e.reactions(job.Args.CommentID); !cmp.Equal(got, []string{"eyes"}) {
		t.Errorf("reactions = %v, want eyes only until the rescan is queued", got)
	}
}

func TestStoreErrorRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.ignores.err = errors.New("database is locked")
	job := e.comment(t, "wendy", "/picket ignore "+fp[:10]+" test key")
	if err := e.w.Work(context.Background(), job); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("Work = %v, want the store error for River to retry", err)
	}
	if n := len(e.replies()); n != 0 {
		t.Errorf("replies = %d, want none before the ignore is stored", n)
	}
}

func TestAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		perm, role string
		want       bool
	}{
		{"admin", "admin", true},
		{"write", "maintain", true},
		{"write", "write", true},
		{"write", "security-reviewer", true}, // a custom role based on write
		{"read", "triage", false},
		{"read", "read", false},
		{"none", "", false},
		{"", "maintain", true},
	} {
		if got := commands.Allowed(tc.perm, tc.role); got != tc.want {
			t.Errorf("Allowed(%q, %q) = %v, want %v", tc.perm, tc.role, got, tc.want)
		}
	}
}

// A comment deleted before the job ran (GitHub answers 404) cancels the
// job instead of retrying it for hours; a 500 is retried.
func TestGitHubRefusalCancels(t *testing.T) {
	t.Parallel()
	e := setup(t)
	job := e.comment(t, "wendy", "/picket rescan")
	e.fake.InjectFault("POST", "reactions/create-for-issue-comment", githubtest.Fault{Status: http.StatusInternalServerError, Times: 1})
	err := e.w.Work(context.Background(), job)
	var cancel *rivertype.JobCancelError
	if err == nil || errors.As(err, &cancel) {
		t.Errorf("Work after a 500 = %v, want a plain error for River to retry", err)
	}
	job.Args.CommentID = 999999 // no such comment
	err = e.w.Work(context.Background(), job)
	if !errors.As(err, &cancel) {
		t.Errorf("Work on a deleted comment = %v, want the job cancelled", err)
	}
}
