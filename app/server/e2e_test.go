package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/diff/gittest"
)

// TestEndToEndPlantedSecret runs the production wiring: a signed
// pull_request delivery over HTTP, the River job on SQLite, the default
// pipeline fetching from a real git server, and the check run and review
// on the fake GitHub.
func TestEndToEndPlantedSecret(t *testing.T) {
	const repo = leakRepo
	l := newLeakPR(t)
	fake, base, head, gitSrv := l.fake, l.base, l.head, l.gitSrv
	cfg, pemBytes := baseConfig(t), l.pem
	cfg.AppID, cfg.PrivateKey, cfg.WebhookSecret, cfg.GitHubURL = 42, pemBytes, testSecret, fake.BaseURL()
	r := start(t, cfg, WithPipelineOptions(pipeline.WithCloneURL(func(string, string) string { return gitSrv.URL })))

	body := githubtest.LoadWebhooks(t, "").Payload("pull_request", "opened", githubtest.WebhookPatch{
		InstallationID: 7, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: base})
	res, err := githubtest.Deliver(context.Background(), r.url+"/webhook", testSecret, "pull_request", body)
	if err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("delivery: %v %d %s", err, res.Status, res.Body)
	}
	// The check run completes before the review is posted: wait for the job.
	eventually(t, func() bool { return strings.Contains(r.logs.String(), "scan job done") })
	var run githubtest.CheckRun
	eventually(t, func() bool {
		for _, c := range fake.CheckRuns(repo) {
			if c.HeadSHA == head && c.Status == "completed" {
				run = c
				return true
			}
		}
		return false
	})
	if run.Conclusion != "failure" {
		t.Errorf("check run concluded %q, want failure for a planted token; summary:\n%s", run.Conclusion, run.Summary)
	}
	if n := len(fake.Comments(repo, 1)); n != 1 {
		t.Errorf("review comments = %d, want 1", n)
	}
	_, metrics := get(t, r.url+"/metrics")
	for _, want := range []string{`picket_findings_total{kind="secret"`, `picket_github_requests_total{endpoint="check-runs"`, `picket_github_rate_limit_remaining{installation="7"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(r.logs.String(), "could not read the app's slug") {
		t.Error("the bot login was not read from GitHub at start-up")
	}
	if logs := r.logs.String(); strings.Contains(logs, leakToken) || strings.Contains(logs, testSecret) {
		t.Error("the log carries the planted token or the webhook secret")
	}
}

// leakRepo is the repository of newLeakPR, leakToken the token its pull
// request adds.
const (
	leakRepo  = "octo-org/hello"
	leakToken = "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"
)

// leakPR is one repository on the fake GitHub (app 42, installation 7)
// and the real git server, whose pull request 1 adds a live token to
// app/config.py: the smallest scan with one finding, end to end.
type leakPR struct {
	fake       *githubtest.Server
	gitSrv     *gittest.Server
	base, head string
	pem        []byte // the app's private key
}

func newLeakPR(t *testing.T) *leakPR {
	t.Helper()
	owner, name, _ := strings.Cut(leakRepo, "/")
	g := gittest.NewRepo(t, "")
	base := g.Commit("base", map[string]string{"app/config.py": "NAME = \"svc\"\n"})
	g.Branch("feature")
	head := g.Commit("leak", map[string]string{"app/config.py": "GITHUB_TOKEN = \"" + leakToken + "\"\nNAME = \"svc\"\n"})
	l := &leakPR{fake: githubtest.New(t), gitSrv: gittest.Serve(t, g), base: base, head: head}
	key, pemBytes := githubtest.GenerateAppKey(t)
	l.pem = pemBytes
	l.fake.AddApp(42, &key.PublicKey)
	l.fake.AddInstallation(githubtest.Installation{ID: 7, AppID: 42, Account: owner})
	l.fake.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: 7})
	l.fake.AddCommit(leakRepo, base, "main", map[string]string{"app/config.py": "NAME = \"svc\"\n"})
	raw := g.Git("diff", base, head, "--", "app/config.py")
	l.fake.AddPullRequest(leakRepo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: base, Files: []githubtest.File{{
		Path: "app/config.py", Status: "modified", Patch: raw[strings.Index(raw, "@@"):], SHA: g.BlobID(head, "app/config.py")}}})
	return l
}
