package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/diff/gittest"
)

// reconcileWorld is a repository with a pull request that plants a token,
// on a real git server and the fake GitHub, and a configured server
// whose reconciler runs every 200ms.
type reconcileWorld struct {
	fake       *githubtest.Server
	cfg        Config
	opts       []Option
	pr         githubtest.PR
	head, base string
}

const (
	rcOwner, rcName = "octo-org", "hello"
	rcRepo          = rcOwner + "/" + rcName
)

func newReconcileWorld(t *testing.T) *reconcileWorld {
	t.Helper()
	g := gittest.NewRepo(t, "")
	base := g.Commit("base", map[string]string{"app/config.py": "NAME = \"svc\"\n"})
	g.Branch("feature")
	head := g.Commit("leak", map[string]string{"app/config.py": "GITHUB_TOKEN = \"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\"\nNAME = \"svc\"\n"})
	gitSrv := gittest.Serve(t, g)

	fake := githubtest.New(t)
	key, pemBytes := githubtest.GenerateAppKey(t)
	fake.AddApp(42, &key.PublicKey)
	fake.AddInstallation(githubtest.Installation{ID: 7, AppID: 42, Account: rcOwner})
	fake.AddRepo(githubtest.Repo{Owner: rcOwner, Name: rcName, InstallationID: 7})
	fake.AddCommit(rcRepo, base, "main", map[string]string{"app/config.py": "NAME = \"svc\"\n"})
	raw := g.Git("diff", base, head, "--", "app/config.py")
	pr := githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: base, Files: []githubtest.File{{
		Path: "app/config.py", Status: "modified", Patch: raw[strings.Index(raw, "@@"):], SHA: g.BlobID(head, "app/config.py")}}}

	cfg := baseConfig(t)
	cfg.AppID, cfg.PrivateKey, cfg.WebhookSecret, cfg.GitHubURL = 42, pemBytes, testSecret, fake.BaseURL()
	cfg.ReconcileInterval = 200 * time.Millisecond
	return &reconcileWorld{fake: fake, cfg: cfg, pr: pr, head: head, base: base,
		opts: []Option{WithPipelineOptions(pipeline.WithCloneURL(func(string, string) string { return gitSrv.URL }))}}
}

// completed returns the completed check run on the head, if any.
func (w *reconcileWorld) completed() (githubtest.CheckRun, bool) {
	for _, c := range w.fake.CheckRuns(rcRepo) {
		if c.HeadSHA == w.head && c.Status == "completed" {
			return c, true
		}
	}
	return githubtest.CheckRun{}, false
}

// failFirst is a proxy in front of the app that answers the first request
// with 500 without passing it on (a deploy, an overloaded balancer).
func failFirst(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			http.Error(w, "upstream unavailable", http.StatusInternalServerError)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestReconcilerRedeliversAFailedDelivery: GitHub's one delivery of a
// pull request fails with 500; the reconciler's periodic run asks GitHub
// to redeliver it, and the redelivery (same GUID) produces the check run.
func TestReconcilerRedeliversAFailedDelivery(t *testing.T) {
	w := newReconcileWorld(t)
	r := start(t, w.cfg, w.opts...)
	// The start-up sweep runs first, before the pull request exists, so
	// only the redelivery can bring the scan.
	eventually(t, func() bool { return strings.Contains(r.logs.String(), "sweep done") })
	w.fake.AddPullRequest(rcRepo, w.pr)
	w.fake.SetWebhook(failFirst(t, r.url)+"/webhook", testSecret)
	body := w.fake.Webhooks().Payload("pull_request", "opened", githubtest.WebhookPatch{
		InstallationID: 7, Repo: rcRepo, PR: 1, HeadSHA: w.head, BaseSHA: w.base})
	res, err := w.fake.SendWebhook(context.Background(), "pull_request", body)
	if err != nil || res.Status != http.StatusInternalServerError {
		t.Fatalf("first delivery: %v %d, want 500", err, res.Status)
	}
	var run githubtest.CheckRun
	eventually(t, func() bool {
		var ok bool
		run, ok = w.completed()
		return ok
	})
	if run.Conclusion != "failure" {
		t.Errorf("check run concluded %q, want failure for the planted token", run.Conclusion)
	}
	w.fake.WaitRedeliveries()
	var redelivered bool
	for _, d := range w.fake.HookDeliveries() {
		if d.Redelivery && d.GUID == res.ID && d.StatusCode == http.StatusAccepted {
			redelivered = true
		}
	}
	if !redelivered {
		t.Errorf("deliveries = %+v, want a successful redelivery of %s", w.fake.HookDeliveries(), res.ID)
	}
	eventually(t, func() bool { return strings.Contains(r.logs.String(), "scan job done") })
	logs := r.logs.String()
	if !strings.Contains(logs, "asked GitHub to redeliver") || !strings.Contains(logs, `"delivery_id":"`+res.ID+`"`) {
		t.Errorf("logs do not show the redelivery of %s:\n%s", res.ID, logs)
	}
	if n := len(w.fake.Succeeded("apps/redeliver-webhook-delivery")); n != 1 {
		t.Errorf("%d redeliveries asked for, want 1", n)
	}
}

// TestStartupSweepScansAnOpenPullRequest: a pull request opened while
// Picket was away (no delivery at all) is scanned by the start-up sweep.
func TestStartupSweepScansAnOpenPullRequest(t *testing.T) {
	w := newReconcileWorld(t)
	w.fake.AddPullRequest(rcRepo, w.pr)
	r := start(t, w.cfg, w.opts...)
	var run githubtest.CheckRun
	eventually(t, func() bool {
		var ok bool
		run, ok = w.completed()
		return ok
	})
	if run.Conclusion != "failure" {
		t.Errorf("check run concluded %q, want failure for the planted token", run.Conclusion)
	}
	if !strings.Contains(r.logs.String(), "sweep: enqueued a scan") {
		t.Error("the log does not say the sweep enqueued the scan")
	}
	if n := len(w.fake.HookDeliveries()); n != 0 {
		t.Errorf("%d webhook deliveries, want none", n)
	}
}

// TestReconcileIntervalConfig: the default, a value, 0 to disable, and
// the errors.
func TestReconcileIntervalConfig(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want time.Duration
		err  bool
	}{
		{"", DefaultReconcileInterval, false},
		{"90s", 90 * time.Second, false},
		{"0", 0, false},
		{"often", 0, true},
		{"-1m", 0, true},
	} {
		t.Run(tt.env, func(t *testing.T) {
			c, err := LoadConfig(envOf(map[string]string{EnvReconcileInterval: tt.env}), "")
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), EnvReconcileInterval) {
					t.Errorf("LoadConfig(%q) = %v, want an error naming %s", tt.env, err, EnvReconcileInterval)
				}
				return
			}
			if err != nil || c.ReconcileInterval != tt.want {
				t.Errorf("LoadConfig(%q) = %v, %v; want %v", tt.env, c.ReconcileInterval, err, tt.want)
			}
		})
	}
}
