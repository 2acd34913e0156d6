package publish

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

const (
	owner   = "octo-org"
	name    = "hello"
	repo    = owner + "/" + name
	instID  = 7
	head1   = "1111111111111111111111111111111111111111"
	head2   = "3333333333333333333333333333333333333333"
	baseSHA = "2222222222222222222222222222222222222222"
)

// env is a fake GitHub with one repository and pull request #1, a
// go-github client holding an installation token the fake issued, and
// the publishers under test.
type env struct {
	s     *githubtest.Server
	gh    *github.Client
	state *MemState
	pub   Multi
	files []githubtest.File
}

// patch is a hunk whose head side has context lines 1-2 and added lines
// 3..2+n.
func patch(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "@@ -1,2 +1,%d @@\n ctx 1\n ctx 2\n", 2+n)
	for i := range n {
		fmt.Fprintf(&b, "+added %d\n", i+3)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey // read-only; generating one per test dominates run time
)

func setup(t *testing.T, files ...githubtest.File) *env {
	t.Helper()
	return setupWith(t, nil, files...)
}

// setupWith is setup with options for the fake.
func setupWith(t *testing.T, opts []githubtest.Option, files ...githubtest.File) *env {
	t.Helper()
	s := githubtest.New(t, opts...)
	keyOnce.Do(func() { appKey, _ = githubtest.GenerateAppKey(t) })
	s.AddApp(42, &appKey.PublicKey)
	s.AddInstallation(githubtest.Installation{ID: instID, AppID: 42, Account: owner})
	s.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: instID})
	if len(files) == 0 {
		files = []githubtest.File{{Path: "a.go", Status: "modified", Patch: patch(8)}}
	}
	s.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head1, BaseSHA: baseSHA, Commits: []string{head1, head2}, Files: files})
	e := &env{s: s, state: &MemState{}, files: files}
	e.gh = e.newClient(t)
	e.pub = e.publishers(e.state)
	return e
}

// newClient is a go-github client with its own installation token (and
// its own memory of rate limits).
func (e *env) newClient(t *testing.T) *github.Client {
	t.Helper()
	tok := e.s.IssueToken(instID)
	gh := github.NewClient(&http.Client{Transport: &bearer{tok: tok, base: e.s.HTTPClient().Transport}})
	u, err := url.Parse(e.s.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = u
	return gh
}

func (e *env) publishers(st State) Multi {
	return Multi{NewChecks(StaticClient(e.gh), st), NewReviews(StaticClient(e.gh), st, nil)}
}

type bearer struct {
	tok  string
	base http.RoundTripper
}

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "token "+b.tok)
	return b.base.RoundTrip(r)
}

// changeSet parses the same patches the fake serves.
func (e *env) changeSet(t *testing.T) *diff.ChangeSet {
	t.Helper()
	cs := &diff.ChangeSet{Base: baseSHA, Head: head1}
	for _, f := range e.files {
		hunks, added, err := diff.ParsePatch(f.Patch)
		if err != nil {
			t.Fatalf("ParsePatch(%s): %v", f.Path, err)
		}
		cs.Files = append(cs.Files, &diff.File{Path: f.Path, Status: diff.Modified, Hunks: hunks, Added: added})
	}
	return cs
}

func target(head string) Target {
	return Target{Owner: owner, Repo: name, PR: 1, HeadSHA: head, BaseSHA: baseSHA, InstallationID: instID}
}

// fp is a stable fake fingerprint named by key.
func fp(key string) scanners.Fingerprint {
	sum := sha256.Sum256([]byte(key))
	return scanners.Fingerprint(hex.EncodeToString(sum[:]))
}

func finding(key string, sev scanners.Severity, path string, start, end int) scanners.Finding {
	return scanners.Finding{
		Rule: scanners.Rule{
			ID: "secrets/" + key, Kind: scanners.KindSecret, Severity: sev,
			Title: "Token " + key, Why: "It grants access.", Fix: "Revoke it.",
		},
		Severity:    sev,
		Path:        path,
		Range:       scanners.Range{StartLine: start, EndLine: end},
		Message:     "A token " + key + " is committed.",
		Evidence:    scanners.Redact("ghp_secretvalue" + key),
		Fingerprint: fp(key),
	}
}

func report(fs ...scanners.Finding) *scanners.Report {
	return &scanners.Report{Findings: fs, Stats: scanners.Stats{Files: 1, Scanned: 1}}
}

// run does one scan: Begin then Publish.
func (e *env) run(t *testing.T, p Publisher, head string, r *scanners.Report, opt Options) RunID {
	t.Helper()
	ctx := context.Background()
	id, err := p.Begin(ctx, target(head))
	if err != nil {
		t.Fatalf("Begin() = %v", err)
	}
	if err := p.Publish(ctx, id, target(head), r, e.changeSet(t), opt); err != nil {
		t.Fatalf("Publish() = %v", err)
	}
	return id
}

func (e *env) checkRun(t *testing.T, id RunID) githubtest.CheckRun {
	t.Helper()
	for _, c := range e.s.CheckRuns(repo) {
		if c.ID == int64(id) {
			return c
		}
	}
	t.Fatalf("check run %d not found", id)
	return githubtest.CheckRun{}
}

// rootComments are the review comments that start a thread.
func (e *env) rootComments() []githubtest.ReviewComment {
	var out []githubtest.ReviewComment
	for _, c := range e.s.Comments(repo, 1) {
		if c.InReplyTo == 0 {
			out = append(out, c)
		}
	}
	return out
}
