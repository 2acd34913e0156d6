package pipeline_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
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
	t    testing.TB
	git  *gittest.Repo
	srv  *gittest.Server
	gh   *githubtest.Server
	p    *pipeline.Pipeline
	base string

	mu    sync.Mutex
	wants []string // blob ids the git server was asked for
	logs  lockedBuffer
	clone []string // repositories the fetches went to (the fake's clone_url is the example's, so the name)
	// newest is the pull request's newest head as the store would know
	// it; "" means not recorded (every head is current).
	newest string
	// tokens, when set, answers the pipeline's git-token requests
	// instead of always returning gitTok.
	tokens pipeline.TokenFunc
}

func (e *env) token(ctx context.Context, id int64, stale string) (string, error) {
	e.mu.Lock()
	fn := e.tokens
	e.mu.Unlock()
	if fn != nil {
		return fn(ctx, id, stale)
	}
	return gitTok, nil
}

// setNewest records head as the pull request's newest.
func (e *env) setNewest(head string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.newest = head
}

func setup(t testing.TB, baseFiles map[string]string, gitOpts ...gittest.ServerOption) *env {
	t.Helper()
	return setupWith(t, baseFiles, nil, gitOpts...)
}

// setupWith is setup with more pipeline options.
func setupWith(t testing.TB, baseFiles map[string]string, popts []pipeline.Option, gitOpts ...gittest.ServerOption) *env {
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
	opts := []pipeline.Option{
		pipeline.WithLogger(slog.New(slog.NewJSONHandler(&e.logs, nil))),
		pipeline.WithHeads(func(context.Context, string, int) (string, bool, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.newest, e.newest != "", nil
		}),
		pipeline.WithCloneURL(func(name, _ string) string {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.clone = append(e.clone, name)
			return srv.URL
		}),
	}
	p := pipeline.New(f, pub, e.token, append(opts, popts...)...)
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
