package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/diff/gittest"
)

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
	if got := len(e.gh.Calls("git/get-blob")); got != 0 {
		t.Errorf("REST blob reads = %d, want 0: the pipeline's cache key no longer matches the engine's", got)
	}
	if e.srv.Requests() != 1 {
		t.Errorf("git requests on the second push = %d, want 1 (the fetch; the advertisement is remembered)", e.srv.Requests())
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

// A changed file at the repository's root gets its base blob from the git
// trees API (the contents API has no documented root listing), so a
// secret that predates the change is not reported as new.
func TestRootFileKeepsItsBase(t *testing.T) {
	t.Parallel()
	old := "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n"
	e := setup(t, map[string]string{"settings.py": old})
	head := e.push(map[string]string{"settings.py": old + "A = 1\n"})
	if err := e.scan(head, "synchronize"); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if got := e.takeWants(); !slices.Contains(got, e.git.BlobID(e.base, "settings.py")) {
		t.Errorf("wants %v lack the root file's base blob", got)
	}
	if got := len(e.gh.Calls("git/get-tree")); got != 1 {
		t.Errorf("git/get-tree called %d times, want 1", got)
	}
	if run := e.checkRun(head); run.Conclusion != "success" {
		t.Errorf("conclusion %q, want success (the secret predates the change)\n%s", run.Conclusion, run.Summary)
	}
}

// dirListings counts the contents-API reads of the app/ directory.
func dirListings(e *env) int {
	n := 0
	for _, c := range e.gh.Calls("repos/get-content") {
		if strings.HasSuffix(c.Path, "/contents/app") {
			n++
		}
	}
	return n
}

// A later push to the same base takes the unchanged files' base blob ids
// from what the first scan learnt: the directory is not listed again.
func TestSecondPushDoesNotRelistBase(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/a.py": "A = 1\n", "app/b.py": "B = 1\n"})
	head1 := e.push(map[string]string{"app/a.py": "A = 2\n", "app/b.py": "B = 2\n"})
	if err := e.scan(head1, "opened"); err != nil {
		t.Fatalf("Scan(opened) = %v", err)
	}
	if got := dirListings(e); got != 1 {
		t.Fatalf("first scan listed app/ %d times, want 1", got)
	}
	e.takeWants()
	head2 := e.push(map[string]string{"app/a.py": "A = 3\n"})
	if err := e.scan(head2, "synchronize"); err != nil {
		t.Fatalf("Scan(synchronize) = %v", err)
	}
	if got := dirListings(e); got != 1 {
		t.Errorf("app/ listed %d times after the second push, want still 1", got)
	}
	if got, want := e.takeWants(), sorted(e.git.BlobID(head2, "app/a.py"), e.git.BlobID(e.base, "app/a.py")); !slices.Equal(got, want) {
		t.Errorf("second fetch wants %v, want %v (the base id must still be known)", got, want)
	}
}

// TestRefusedGitTokenReplacedOnce: the shared installation token the
// fetch got was revoked (the git server answers 401): the pipeline asks
// for a new one, naming the refused one, and the scan completes.
func TestRefusedGitTokenReplacedOnce(t *testing.T) {
	e := setup(t, map[string]string{"app.py": "print('hi')\n"})
	var stale []string
	e.tokens = func(_ context.Context, id int64, s string) (string, error) {
		if id != instID {
			t.Errorf("token for installation %d, want %d", id, instID)
		}
		stale = append(stale, s)
		if s == "" {
			return "revoked-token", nil
		}
		return gitTok, nil
	}
	head := e.push(map[string]string{"app.py": "print('hi')\nTOKEN = '" + githubtest.ClassicPAT(rand.New(rand.NewPCG(1, 2))) + "'\n"})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("scan: %v\n%s", err, e.logs.String())
	}
	if want := []string{"", "revoked-token"}; !slices.Equal(stale, want) {
		t.Errorf("token requests named stale tokens %q, want %q", stale, want)
	}
	if c := e.checkRun(head); c.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure (the planted token was found)", c.Conclusion)
	}
}
