package pipeline_test

import (
	"context"
	"crypto/rsa"
	"strings"
	"sync"
	"testing"
	"time"

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
}

func setup(t *testing.T, baseFiles map[string]string) *env {
	t.Helper()
	r := gittest.NewRepo(t, "")
	base := r.Commit("base", baseFiles)
	srv := gittest.Serve(t, r, gittest.WithToken(gitTok))
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
		pipeline.WithCloneURL(func(string, string) string { return srv.URL }))
	r.Branch("feature")
	return &env{t: t, git: r, srv: srv, gh: s, p: p, base: base}
}

// push commits files on the feature branch and makes the fake's pull
// request show the real diff between base and the new head.
func (e *env) push(files map[string]string) string {
	e.t.Helper()
	head := e.git.Commit("push", files)
	var pf []githubtest.File
	for _, line := range strings.Split(e.git.Git("diff", "--name-status", e.base, head), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		st, path := map[string]string{"A": "added", "M": "modified", "D": "removed"}[fields[0][:1]], fields[len(fields)-1]
		raw := e.git.Git("diff", e.base, head, "--", path)
		patch := raw[strings.Index(raw, "@@"):]
		f := githubtest.File{Path: path, Status: st, Patch: patch}
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
}
