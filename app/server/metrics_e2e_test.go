package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/diff/gittest"
)

// TestMetricsAfterRealScans drives two scans of one pull request head
// through the production wiring (signed webhooks, River on SQLite and on
// PostgreSQL, the default pipeline, the fake GitHub and a real git
// server) and reads every issue-6 metric back from /metrics: what the
// deploy/ dashboards and alerts are built on.
func TestMetricsAfterRealScans(t *testing.T) {
	storetest.ForEach(t, metricsAfterRealScans)
}

func metricsAfterRealScans(t *testing.T, dbURL string) {
	const (
		owner, name = "octo-org", "metered"
		repo        = owner + "/" + name
		token       = "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"
		inst        = 7
	)
	files := map[string]string{"app/config.py": "GITHUB_TOKEN = \"" + token + "\"\nNAME = \"svc\"\n"}
	baseFiles := map[string]string{"app/config.py": "NAME = \"svc\"\n"}
	for i := range 11 { // 12 files changed: size class 11-100
		files[fmt.Sprintf("lib/m%02d.py", i)] = fmt.Sprintf("def f%d():\n    return %d\n", i, i)
	}
	g := gittest.NewRepo(t, "")
	base := g.Commit("base", baseFiles)
	g.Branch("feature")
	head := g.Commit("change", files)
	gitSrv := gittest.Serve(t, g)

	fake := githubtest.New(t)
	key, pemBytes := githubtest.GenerateAppKey(t)
	fake.AddApp(42, &key.PublicKey)
	fake.AddInstallation(githubtest.Installation{ID: inst, AppID: 42, Account: owner})
	fake.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: inst})
	fake.AddCommit(repo, base, "main", baseFiles)
	var pf []githubtest.File
	for path := range files {
		raw := g.Git("diff", base, head, "--", path)
		st := "added"
		if _, ok := baseFiles[path]; ok {
			st = "modified"
		}
		pf = append(pf, githubtest.File{Path: path, Status: st, Patch: raw[strings.Index(raw, "@@"):], SHA: g.BlobID(head, path)})
	}
	fake.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: base, Files: pf})

	cfg := baseConfig(t)
	cfg.DatabaseURL = dbURL
	// The result cache is the database's on PostgreSQL (shared by
	// replicas), memory on SQLite: see wire_tables.go.
	layer := "memory"
	if strings.HasPrefix(dbURL, "postgres") {
		layer = "database"
	}
	cfg.AppID, cfg.PrivateKey, cfg.WebhookSecret, cfg.GitHubURL = 42, pemBytes, testSecret, fake.BaseURL()
	cfg.InstallationConcurrency = DefaultInstallationConcurrency
	r := start(t, cfg, WithPipelineOptions(pipeline.WithCloneURL(func(string, string) string { return gitSrv.URL })))

	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", r.logs.String())
		}
	})
	hooks := githubtest.LoadWebhooks(t, "")
	completed := func() int {
		n := 0
		for _, c := range fake.CheckRuns(repo) {
			if c.HeadSHA == head && c.Status == "completed" {
				n++
			}
		}
		return n
	}
	for i, action := range []string{"opened", "reopened"} {
		body := hooks.Payload("pull_request", action, githubtest.WebhookPatch{InstallationID: inst, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: base})
		res, err := githubtest.Deliver(context.Background(), r.url+"/webhook", testSecret, "pull_request", body)
		if err != nil || res.Status != http.StatusAccepted {
			t.Fatalf("%s delivery: %v %d %s", action, err, res.Status, res.Body)
		}
		// A rescan of the same head may reuse the check run: wait for the
		// job's log record, written after its duration is recorded.
		eventually(t, func() bool {
			if strings.Count(r.logs.String(), "scan job") > i+1 || strings.Contains(r.logs.String(), "scan job failed") {
				t.Fatalf("logs:\n%s", r.logs.String())
			}
			return strings.Count(r.logs.String(), "scan job done") == i+1
		})
		if completed() == 0 {
			t.Fatalf("after the %s scan no check run of the head is completed", action)
		}
		// River marks the job completed a little later; until then a job
		// for the same head is a duplicate of it.
		eventually(t, func() bool {
			var n int
			err := r.s.st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE state = 'completed'`).Scan(&n)
			return err == nil && n == i+1
		})
	}
	_, text := get(t, r.url+"/metrics")

	for _, c := range []struct {
		series string
		check  func(float64) bool
		want   string
	}{
		{`picket_webhooks_total{event="pull_request",outcome="accepted"}`, eq(2), "2"},
		{`picket_scan_duration_seconds_count{outcome="ok",size="11-100"}`, eq(2), "2 (12 files changed)"},
		{`picket_queue_wait_seconds_count{kind="scan"}`, eq(2), "2 (one per start, no snooze)"},
		{`picket_queue_jobs{kind="scan",state="available"}`, eq(0), "0 (drained)"},
		{`picket_queue_jobs{kind="scan",state="running"}`, eq(0), "0"},
		{`picket_queue_read_errors_total`, eq(0), "0"},
		// The first scan misses every file the engine reads, the rescan of
		// the same head hits every one: half the look-ups hit.
		{`picket_cache_lookups_total{layer="` + layer + `"}`, func(v float64) bool { return v >= 2 && int(v)%2 == 0 }, "an even number ≥ 2"},
		{`picket_cache_hits_total{layer="` + layer + `"}`, eq(sample(t, text, `picket_cache_lookups_total{layer="`+layer+`"}`) / 2), "half the look-ups"},
		{`picket_findings_total{kind="secret",severity="critical"}`, func(v float64) bool { return v >= 1 }, "≥ 1"},
		{`picket_github_budget_wait_seconds_count`, func(v float64) bool { return v >= 4 }, "≥ 4 (check runs and reviews of two scans)"},
		{`picket_github_budget_wait_seconds_bucket{le="0"}`, eq(sample(t, text, `picket_github_budget_wait_seconds_count`)), "all (none waited)"},
		{`picket_github_rate_limit_remaining{installation="7",resource="core"}`, func(v float64) bool { return v > 0 }, "> 0"},
		{`picket_installation_snoozes_total`, eq(0), "0 (one scan at a time)"},
		{`picket_installation_slot_errors_total`, eq(0), "0"},
	} {
		if got := sample(t, text, c.series); !c.check(got) {
			t.Errorf("%s = %v, want %s", c.series, got, c.want)
		}
	}
	// No repository, pull request or SHA leaks into a label.
	for _, leak := range []string{name, head[:12], base[:12], "app/config.py"} {
		if strings.Contains(text, leak) {
			t.Errorf("/metrics carries %q in a label", leak)
		}
	}
}

func eq(want float64) func(float64) bool { return func(v float64) bool { return v == want } }

// sample returns the value of one series (name with its labels, exactly
// as exposed) in an exposition; a missing series fails the test.
func sample(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("/metrics lacks %s", series)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", series, err)
	}
	return v
}
