package pipeline_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/diff/gittest"
)

const (
	appID   = 42
	instID  = 7
	owner   = "octo-org"
	name    = "hello"
	repo    = owner + "/" + name
	gitTok  = "git-token-for-tests"
	secret  = "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"
	cfgBase = "# service credentials\nNAME = \"svc\"\n"
)

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey
	appPEM  []byte
)

// env is a real git repository served by git http-backend, a fake GitHub
// holding the same repository's pull request #1, and the pipeline.
type env struct {
	t    *testing.T
	git  *gittest.Repo
	srv  *gittest.Server
	gh   *githubtest.Server
	p    *pipeline.Pipeline
	base string

	mu    sync.Mutex
	wants []string // blob ids the git server was asked for
	logs  lockedBuffer
	clone []string // repositories the fetches went to (the fake's clone_url is the example's, so the name)
}

func setup(t *testing.T, baseFiles map[string]string, gitOpts ...gittest.ServerOption) *env {
	t.Helper()
	e := &env{t: t}
	r := gittest.NewRepo(t, "")
	base := r.Commit("base", baseFiles)
	srv := gittest.Serve(t, r, append([]gittest.ServerOption{gittest.WithToken(gitTok), gittest.WithMiddleware(e.recordWants)}, gitOpts...)...)
	s := githubtest.New(t)
	keyOnce.Do(func() { appKey, appPEM = githubtest.GenerateAppKey(t) })
	s.AddApp(appID, &appKey.PublicKey)
	s.AddInstallation(githubtest.Installation{ID: instID, AppID: appID, Account: owner})
	s.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: instID})
	all := map[string]string{"README": "test repository\n"}
	for k, v := range baseFiles {
		all[k] = v
	}
	s.AddCommit(repo, base, "main", all)
	f, err := gh.New(appID, appPEM, gh.WithBaseURL(s.BaseURL()), gh.WithTransport(s.HTTPClient().Transport),
		gh.WithClock(s.Clock().Now), gh.WithSleeper(func(ctx context.Context, d time.Duration) error { s.Clock().Advance(d); return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	state := &publish.MemState{}
	pub := publish.Multi{publish.NewChecks(f, state), publish.NewReviews(f, state, nil)}
	p := pipeline.New(f, pub, func(context.Context, int64) (string, error) { return gitTok, nil },
		pipeline.WithLogger(slog.New(slog.NewJSONHandler(&e.logs, nil))),
		pipeline.WithCloneURL(func(name, _ string) string {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.clone = append(e.clone, name)
			return srv.URL
		}))
	r.Branch("feature")
	e.git, e.srv, e.gh, e.p, e.base = r, srv, s, p, base
	return e
}

// lockedBuffer is a log sink safe for the concurrent writes of a scan.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var wantLine = regexp.MustCompile(`want ([0-9a-f]{40})`)

// recordWants notes the object ids of every upload-pack request.
func (e *env) recordWants(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			e.mu.Lock()
			for _, m := range wantLine.FindAllStringSubmatch(string(body), -1) {
				e.wants = append(e.wants, m[1])
			}
			e.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// takeWants returns the recorded wants, sorted, and forgets them.
func (e *env) takeWants() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.wants
	e.wants = nil
	slices.Sort(w)
	return w
}

// push commits files on the feature branch and makes the fake's pull
// request show the real diff between base and the new head.
func (e *env) push(files map[string]string) string {
	e.t.Helper()
	head := e.git.Commit("push", files)
	var pf []githubtest.File
	for _, line := range strings.Split(e.git.Git("diff", "-M", "--name-status", e.base, head), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		st, path := map[string]string{"A": "added", "M": "modified", "D": "removed", "R": "renamed"}[fields[0][:1]], fields[len(fields)-1]
		raw := e.git.Git(append([]string{"diff", "-M", e.base, head, "--"}, fields[1:]...)...)
		patch := raw[strings.Index(raw, "@@"):]
		f := githubtest.File{Path: path, Status: st, Patch: patch}
		if st == "renamed" {
			f.PreviousPath = fields[1]
		}
		if st != "removed" {
			f.SHA = e.git.BlobID(head, path)
		}
		pf = append(pf, f)
	}
	e.gh.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: e.base, Files: pf})
	return head
}

func (e *env) scan(head, reason string) error {
	e.t.Helper()
	return e.p.Scan(context.Background(), jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: reason})
}

// checkRun is the one check run of head.
func (e *env) checkRun(head string) githubtest.CheckRun {
	e.t.Helper()
	var found []githubtest.CheckRun
	for _, c := range e.gh.CheckRuns(repo) {
		if c.HeadSHA == head {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("check runs for %.7s: %d, want 1", head, len(found))
	}
	return found[0]
}

func TestOpenedPlantedSecret(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, "app/util.py": "def f():\n    return 1\n"})
	head := e.push(map[string]string{
		"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n",
		"app/util.py":   "def f():\n    return 2\n",
	})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	run := e.checkRun(head)
	if run.Status != "completed" || run.Conclusion != "failure" {
		t.Fatalf("check run %s/%s, want completed/failure; summary:\n%s", run.Status, run.Conclusion, run.Summary)
	}
	comments := e.gh.Comments(repo, 1)
	if len(comments) != 1 {
		t.Fatalf("comments = %d, want 1: %+v", len(comments), comments)
	}
	c := comments[0]
	if c.Path != "app/config.py" || c.Line != 2 || c.Side != "RIGHT" {
		t.Errorf("comment at %s:%d %s, want app/config.py:2 RIGHT", c.Path, c.Line, c.Side)
	}
	for _, text := range []string{c.Body, run.Summary, run.Text, run.Title} {
		if strings.Contains(text, secret) {
			t.Errorf("the whole secret is echoed: %q", text)
		}
	}
	if e.srv.Denied() != 0 {
		t.Errorf("git server denied %d requests", e.srv.Denied())
	}
	if got := len(e.gh.Reviews(repo, 1)); got != 1 {
		t.Errorf("reviews = %d, want 1", got)
	}
	logs := e.logs.String()
	if strings.Contains(logs, secret) || strings.Contains(logs, gitTok) {
		t.Errorf("logs carry the secret or the token:\n%s", logs)
	}
	if !strings.Contains(logs, `"head_sha":"`+head+`"`) || !strings.Contains(logs, `"repo":"`+repo+`"`) {
		t.Errorf("logs lack repo and head_sha:\n%s", logs)
	}
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

func TestSynchronizeFixResolvesAndRefetchesOnlyChanged(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, "app/util.py": "def f():\n    return 1\n"})
	leaky := "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"
	head1 := e.push(map[string]string{"app/config.py": leaky, "app/util.py": "def f():\n    return 2\n"})
	if err := e.scan(head1, "opened"); err != nil {
		t.Fatalf("Scan(opened) = %v", err)
	}
	first := e.takeWants()
	if want := sorted(e.git.BlobID(head1, "app/config.py"), e.git.BlobID(head1, "app/util.py"),
		e.git.BlobID(e.base, "app/config.py"), e.git.BlobID(e.base, "app/util.py")); !slices.Equal(first, want) {
		t.Errorf("first fetch wants %v, want %v", first, want)
	}
	before := e.gh.Comments(repo, 1)
	if len(before) != 1 {
		t.Fatalf("comments after opened = %d, want 1", len(before))
	}
	e.srv.Reset()
	head2 := e.push(map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\nNAME = \"svc\"\n"})
	if err := e.scan(head2, "synchronize"); err != nil {
		t.Fatalf("Scan(synchronize) = %v", err)
	}
	// util.py is unchanged between the pushes: neither fetched nor scanned.
	if got, want := e.takeWants(), sorted(e.git.BlobID(head2, "app/config.py"), e.git.BlobID(e.base, "app/config.py")); !slices.Equal(got, want) {
		t.Errorf("second fetch wants %v, want %v (only the changed file)", got, want)
	}
	if e.srv.Requests() != 2 {
		t.Errorf("git requests on the second push = %d, want 2 (advertisement and one fetch)", e.srv.Requests())
	}
	if run := e.checkRun(head2); run.Conclusion != "success" {
		t.Errorf("second check run conclusion %q, want success", run.Conclusion)
	}
	if sum := e.checkRun(head2).Summary; !strings.Contains(sum, "2 changed: 1 scanned, 1 reused") || strings.Contains(sum, " 0 B fetched") {
		t.Errorf("summary does not count the reused file or the bytes fetched:\n%s", sum)
	}
	after := e.gh.Comments(repo, 1)
	if len(after) != 1 {
		t.Errorf("comments after the fix = %d, want 1 (nothing duplicated)", len(after))
	}
	if !e.gh.ThreadResolved(repo, before[0].ID) {
		t.Errorf("thread of comment %d not resolved after the fix", before[0].ID)
	}
}

func TestMovedLinesPostNothingNew(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head1 := e.push(map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})
	if err := e.scan(head1, "opened"); err != nil {
		t.Fatalf("Scan(opened) = %v", err)
	}
	// The secret moves down three lines (a rebase bringing lines above it).
	head2 := e.push(map[string]string{"app/config.py": "import os\n\n\n# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})
	if err := e.scan(head2, "synchronize"); err != nil {
		t.Fatalf("Scan(synchronize) = %v", err)
	}
	if got := e.gh.Comments(repo, 1); len(got) != 1 {
		t.Errorf("comments after moving lines = %d, want 1: %+v", len(got), got)
	}
	if run := e.checkRun(head2); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure (the secret is still there)", run.Conclusion)
	}
}

func TestConfigChangeInPRIgnored(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, ".github/picket.yml": "fail_on: high\n"})
	head := e.push(map[string]string{
		".github/picket.yml": "fail_on: critical\nexclude: ['**']\n",
		"app/config.py":      "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n",
	})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	run := e.checkRun(head)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure: the base config wins", run.Conclusion)
	}
	if !strings.Contains(run.Summary, "takes effect after merge") {
		t.Errorf("summary does not mention the config change:\n%s", run.Summary)
	}
}

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

func TestForkPRFetchesFromBaseRepository(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.git.Commit("fork push", map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})
	raw := e.git.Git("diff", e.base, head, "--", "app/config.py")
	e.gh.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: e.base, HeadRepo: "someone/hello",
		Files: []githubtest.File{{Path: "app/config.py", Status: "modified", Patch: raw[strings.Index(raw, "@@"):], SHA: e.git.BlobID(head, "app/config.py")}}})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got, want := e.takeWants(), sorted(e.git.BlobID(head, "app/config.py"), e.git.BlobID(e.base, "app/config.py")); !slices.Equal(got, want) {
		t.Errorf("wants = %v, want %v", got, want)
	}
	e.mu.Lock()
	clone := e.clone
	e.mu.Unlock()
	if len(clone) != 1 || clone[0] != repo {
		t.Errorf("fetched from %v, want the base repository %s (GitHub keeps fork heads there)", clone, repo)
	}
	if run := e.checkRun(head); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
}

// GitHub omits the patch of a large file: its lines are found from the
// fetched blobs, and a finding there cannot anchor to a diff GitHub does
// not show, so it is posted as a file-level comment, not lost.
func TestFindingOffTheDiffIsFileLevel(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	head := e.git.Commit("push", map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})
	e.gh.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: e.base,
		Files: []githubtest.File{{Path: "app/config.py", Status: "modified", SHA: e.git.BlobID(head, "app/config.py")}}})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	comments := e.gh.Comments(repo, 1)
	if len(comments) != 1 || comments[0].SubjectType != "file" || comments[0].Path != "app/config.py" {
		t.Fatalf("comments = %+v, want one file-level comment on app/config.py", comments)
	}
	if run := e.checkRun(head); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
}

// A server that refuses wants by id (protocol v0 without
// allow-*-sha1-in-want) makes the pipeline read the blobs with the REST
// blobs API instead.
func TestRefusedFetchFallsBackToREST(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase}, gittest.WithoutProtocolV2(),
		gittest.WithoutConfig("uploadpack.allowReachableSHA1InWant"), gittest.WithoutConfig("uploadpack.allowAnySHA1InWant"))
	leaky := "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"
	head := e.push(map[string]string{"app/config.py": leaky})
	e.gh.AddCommit(repo, head, "feature", map[string]string{"README": "test repository\n", "app/config.py": leaky})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := len(e.gh.Succeeded("git/get-blob")); got != 2 {
		t.Errorf("REST blob reads = %d, want 2 (head and base of app/config.py)", got)
	}
	if run := e.checkRun(head); run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure", run.Conclusion)
	}
}

// An invalid base configuration is explained in the summary and the
// defaults are used.
func TestInvalidBaseConfigExplained(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, ".github/picket.yml": "fail_on: [\n"})
	head := e.push(map[string]string{"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	run := e.checkRun(head)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure (defaults: fail on high)", run.Conclusion)
	}
	if !strings.Contains(run.Summary, "could not be used") || !strings.Contains(run.Summary, ".github/picket.yml") {
		t.Errorf("summary does not explain the config error:\n%s", run.Summary)
	}
}

// More than one page of files (GitHub's 100 a page) is listed in full.
func TestManyFilesPaginated(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"README.md": "x\n"})
	files := map[string]string{}
	for i := range 130 {
		files[fmt.Sprintf("pkg/f%03d.py", i)] = fmt.Sprintf("X = %d\n", i)
	}
	files["pkg/f129.py"] = "TOKEN = \"" + secret + "\"\n"
	head := e.push(files)
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := len(e.gh.Succeeded("pulls/list-files")); got != 2 {
		t.Errorf("list-files pages = %d, want 2", got)
	}
	if got := len(e.takeWants()); got != 130 {
		t.Errorf("blobs fetched = %d, want 130 (added files have no base)", got)
	}
	if c := e.gh.Comments(repo, 1); len(c) != 1 || c[0].Path != "pkg/f129.py" {
		t.Errorf("comments = %+v, want one on pkg/f129.py (on the second page)", c)
	}
}

// A renamed file keeps its base (read at the old path): a secret that was
// already there is not reported as new.
func TestRenamedFileKeepsItsBase(t *testing.T) {
	t.Parallel()
	old := "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\nA = 1\nB = 2\nC = 3\n"
	e := setup(t, map[string]string{"app/old.py": old})
	head := e.push(map[string]string{"app/old.py": "", "lib/new.py": old + "D = 4\n"})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := e.takeWants(); !slices.Contains(got, e.git.BlobID(e.base, "app/old.py")) {
		t.Errorf("wants %v lack the base blob of the old path", got)
	}
	if run := e.checkRun(head); run.Conclusion != "success" {
		t.Errorf("conclusion %q, want success (the secret predates the change)\n%s", run.Conclusion, run.Summary)
	}
	if c := e.gh.Comments(repo, 1); len(c) != 0 {
		t.Errorf("comments = %+v, want none", c)
	}
}

// Files the base configuration excludes are neither fetched nor scanned.
func TestExcludedFilesNotFetched(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, ".github/picket.yml": "exclude: ['vendor/**']\n"})
	head := e.push(map[string]string{
		"vendor/lib.py": "TOKEN = \"" + secret + "\"\n",
		"app/config.py": cfgBase + "X = 1\n",
	})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := e.takeWants(); slices.Contains(got, e.git.BlobID(head, "vendor/lib.py")) || len(got) != 2 {
		t.Errorf("wants %v: want only app/config.py's head and base", got)
	}
	if run := e.checkRun(head); run.Conclusion != "success" {
		t.Errorf("conclusion %q, want success", run.Conclusion)
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
	if got := len(e.gh.Calls("pulls/list-files")); got != 0 {
		t.Errorf("list-files called %d times: the scan went on with the defaults", got)
	}
	if run := e.checkRun(head); run.Status != "in_progress" {
		t.Errorf("status %q, want in_progress until the retry", run.Status)
	}
}
