package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"hash/crc32"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/picketsec/picket/diff/gittest"
	"github.com/picketsec/picket/scanners/report/reporttest"
)

// result is what one in-process run of the command printed.
type result struct {
	code           int
	stdout, stderr string
}

// picket runs the command in-process, as main would, with stdin.
func picket(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := map[string]string{"NO_COLOR": "1"}
	code := run(context.Background(), args, streams{
		stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return env[k] },
	})
	return result{code, stdout.String(), stderr.String()}
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomString returns n random characters from alphabet.
func randomString(t *testing.T, alphabet string, n int) string {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			t.Fatal(err)
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// githubPAT makes a fresh classic GitHub token with a valid checksum: 30
// random base62 characters and the base62 CRC-32 of them, padded to 6.
// Generating it keeps real-looking secrets out of the source.
func githubPAT(t *testing.T) string {
	body := randomString(t, base62, 30)
	sum := crc32.ChecksumIEEE([]byte(body))
	var enc []byte
	for n := sum; n > 0; n /= 62 {
		enc = append([]byte{base62[n%62]}, enc...)
	}
	for len(enc) < 6 {
		enc = append([]byte{'0'}, enc...)
	}
	return "ghp_" + body + string(enc)
}

// plant is a repository whose branch "feature" adds config/app.env with
// secrets on top of main, and a further harmless commit.
type plant struct {
	repo    *gittest.Repo
	secrets []string
}

func newPlant(t *testing.T) *plant {
	t.Helper()
	r := gittest.NewRepo(t, "")
	r.Commit("add code", map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	r.Branch("feature")
	pat := githubPAT(t)
	awsID := "AKIA" + randomString(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	awsSecret := randomString(t, base62+"/+", 40)
	r.Commit("add configuration", map[string]string{
		"config/app.env": "APP_NAME=shop\n" +
			"GITHUB_TOKEN=" + pat + "\n" +
			"AWS_ACCESS_KEY_ID=" + awsID + "\n" +
			"AWS_SECRET_ACCESS_KEY=" + awsSecret + "\n",
	})
	return &plant{repo: r, secrets: []string{pat, awsSecret, awsID[4:]}}
}

// noSecrets fails if any output contains a planted secret (or its tail).
func (p *plant) noSecrets(t *testing.T, outputs ...string) {
	t.Helper()
	for _, s := range p.secrets {
		for _, out := range outputs {
			if strings.Contains(out, s) || strings.Contains(out, s[len(s)/2:]) {
				t.Fatalf("output contains a planted secret:\n%s", out)
			}
		}
	}
}

func TestScanSARIFEndToEnd(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	res := picket(t, "", "scan", "--repo", p.repo.Dir, "--base", "main", "--head", "feature", "--format", "sarif")
	if res.code != exitFindings {
		t.Fatalf("scan = exit %d, want %d; stderr:\n%s", res.code, exitFindings, res.stderr)
	}
	p.noSecrets(t, res.stdout, res.stderr)
	reporttest.ValidateSARIF(t, []byte(res.stdout))
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID              string            `json:"ruleId"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	lines := map[int]bool{}
	for _, r := range doc.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if !strings.HasPrefix(r.RuleID, "secrets/") || loc.ArtifactLocation.URI != "config/app.env" || r.PartialFingerprints["picket/v1"] == "" {
			t.Errorf("unexpected result %+v", r)
		}
		lines[loc.Region.StartLine] = true
	}
	if !lines[2] {
		t.Errorf("no finding on line 2 (the GitHub token); results on lines %v", lines)
	}

	out := filepath.Join(t.TempDir(), "picket.sarif")
	res = picket(t, "", "scan", "--repo", p.repo.Dir, "--base", "main", "--head", "feature", "--format", "sarif", "--output", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if res.code != exitFindings || res.stdout != "" {
		t.Errorf("--output: exit %d, stdout %q; want %d and nothing on stdout", res.code, res.stdout, exitFindings)
	}
	p.noSecrets(t, string(data))
	reporttest.ValidateSARIF(t, data)
}

// TestScanConfigPrecedence: the repository's config disables and re-rates
// rules and sets fail_on; --fail-on overrides the file.
func TestScanConfigPrecedence(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	cfg := filepath.Join(t.TempDir(), "picket.yml")
	doc := "fail_on: critical\nrules:\n  disable: [secrets/aws-*, secrets/no-such-rule]\n  severity:\n    secrets/github-pat: medium\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", "--repo", p.repo.Dir, "--base", "main", "--head", "feature", "--config", cfg, "--format", "json"}
	res := picket(t, "", args...)
	p.noSecrets(t, res.stdout, res.stderr)
	var rep struct {
		Findings []struct {
			Rule     struct{ ID string }
			Severity string
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, res.stdout)
	}
	if res.code != exitOK {
		t.Errorf("fail_on critical with the token re-rated medium = exit %d, want 0; findings %+v", res.code, rep.Findings)
	}
	sawPAT := false
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule.ID, "secrets/aws-") {
			t.Errorf("disabled rule %s reported", f.Rule.ID)
		}
		if f.Rule.ID == "secrets/github-pat" {
			sawPAT = true
			if f.Severity != "medium" {
				t.Errorf("secrets/github-pat severity %s, want medium from the config", f.Severity)
			}
		}
	}
	if !sawPAT {
		t.Errorf("no secrets/github-pat finding: %+v", rep.Findings)
	}
	if !strings.Contains(res.stderr, `warning: configuration names rule "secrets/no-such-rule"`) {
		t.Errorf("stderr lacks the unknown-rule warning: %q", res.stderr)
	}
	if res := picket(t, "", append(args, "--fail-on", "medium")...); res.code != exitFindings {
		t.Errorf("--fail-on medium over fail_on critical = exit %d, want %d", res.code, exitFindings)
	}
}

// TestScanGitleaksConfig: secrets.gitleaks_config is read from the
// repository and its rules report like built-in ones.
func TestScanGitleaksConfig(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	token := "acme_" + strings.ToLower(randomString(t, base62, 32))
	r.Commit("config", map[string]string{
		".github/picket.yml": "secrets:\n  gitleaks_config: .gitleaks.toml\n",
		".gitleaks.toml":     "[[rules]]\nid = \"acme\"\ndescription = \"ACME token\"\nregex = '''acme_[a-z0-9]{32}'''\nkeywords = [\"acme_\"]\n",
	})
	r.Commit("use the token", map[string]string{"client.py": "TOKEN = \"" + token + "\"\n"})
	res := picket(t, "", "scan", "--repo", r.Dir, "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
	if strings.Contains(res.stdout+res.stderr, token[8:]) {
		t.Fatalf("output contains the planted token")
	}
	if res.code != exitFindings || !strings.Contains(res.stdout, `"id": "secrets/custom-acme"`) {
		t.Errorf("exit %d, want %d and a secrets/custom-acme finding; stdout:\n%s\nstderr:\n%s", res.code, exitFindings, res.stdout, res.stderr)
	}
}

func TestScanTextOutput(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	res := picket(t, "", "scan", "--repo", p.repo.Dir, "--base", "main", "--head", "feature")
	p.noSecrets(t, res.stdout, res.stderr)
	if res.code != exitFindings || !strings.HasPrefix(res.stdout, "config/app.env\n") || strings.Contains(res.stdout, "\x1b[") {
		t.Errorf("text report = exit %d:\n%s\nwant exit 1, grouped under config/app.env, no colour", res.code, res.stdout)
	}
}

func TestScanExitCodes(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	dir := p.repo.Dir
	// A harmless commit on top: the secrets are in its base, so nothing is new.
	p.repo.Commit("docs", map[string]string{"docs.txt": "nothing to see\n"})

	for _, tt := range []struct {
		name string
		args []string
		code int
	}{
		{"secrets introduced", []string{"--base", "main", "--head", "feature"}, exitFindings},
		{"default base is the merge-base with main", nil, exitFindings},
		{"harmless last commit", []string{"--base", "HEAD~1", "--head", "HEAD"}, exitOK},
		{"threshold above the findings", []string{"--base", "main", "--head", "feature", "--fail-on", "critical", "--format", "json"}, -1},
		{"no change", []string{"--base", "HEAD", "--head", "HEAD"}, exitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := picket(t, "", append([]string{"scan", "--repo", dir}, tt.args...)...)
			p.noSecrets(t, res.stdout, res.stderr)
			if tt.code == -1 {
				// Exit 1 only if a finding is critical: decide from the JSON.
				var rep struct {
					Findings []struct{ Severity string }
				}
				if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
					t.Fatalf("JSON output: %v\n%s", err, res.stdout)
				}
				tt.code = exitOK
				for _, f := range rep.Findings {
					if f.Severity == "critical" {
						tt.code = exitFindings
					}
				}
			}
			if res.code != tt.code {
				t.Errorf("picket scan %v = exit %d, want %d; stdout:\n%s\nstderr:\n%s", tt.args, res.code, tt.code, res.stdout, res.stderr)
			}
		})
	}
}

func TestScanDiffFromStdin(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	patch := p.repo.Git("diff", "main", "feature") + "\n"
	res := picket(t, patch, "scan", "--diff", "-", "--format", "json")
	p.noSecrets(t, res.stdout, res.stderr)
	if res.code != exitFindings {
		t.Fatalf("scan --diff - = exit %d, want %d; stderr:\n%s", res.code, exitFindings, res.stderr)
	}
	if !strings.Contains(res.stdout, `"path": "config/app.env"`) {
		t.Errorf("JSON report lacks the finding in config/app.env:\n%s", res.stdout)
	}

	file := filepath.Join(t.TempDir(), "change.diff")
	if err := os.WriteFile(file, []byte(patch), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := picket(t, "", "scan", "--diff", file); res.code != exitFindings {
		t.Errorf("scan --diff FILE = exit %d, want %d; stderr:\n%s", res.code, exitFindings, res.stderr)
	}
}

func TestScanStaged(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	pat := githubPAT(t)
	if err := os.WriteFile(filepath.Join(r.Dir, "deploy.sh"), []byte("#!/bin/sh\nexport GITHUB_TOKEN="+pat+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := picket(t, "", "scan", "--repo", r.Dir, "--staged")
	if res.code != exitOK {
		t.Errorf("scan --staged with nothing staged = exit %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	r.Git("add", "deploy.sh")
	res = picket(t, "", "scan", "--repo", r.Dir, "--staged")
	if strings.Contains(res.stdout+res.stderr, pat[8:]) {
		t.Fatalf("output contains the planted token:\n%s%s", res.stdout, res.stderr)
	}
	if res.code != exitFindings || !strings.Contains(res.stdout, "deploy.sh") {
		t.Errorf("scan --staged with a staged token = exit %d, want %d and a finding in deploy.sh; stdout:\n%s\nstderr:\n%s", res.code, exitFindings, res.stdout, res.stderr)
	}
}

func TestScanBaseline(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	baseline := filepath.Join(t.TempDir(), "baseline.json")
	args := []string{"scan", "--repo", p.repo.Dir, "--base", "main", "--head", "feature"}

	res := picket(t, "", append(args, "--write-baseline", baseline)...)
	if res.code != exitOK {
		t.Fatalf("--write-baseline = exit %d, want 0; stderr:\n%s", res.code, res.stderr)
	}
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	p.noSecrets(t, string(data), res.stdout, res.stderr)

	res = picket(t, "", append(args, "--baseline", baseline, "--format", "json")...)
	if res.code != exitOK {
		t.Fatalf("--baseline = exit %d, want 0 (all accepted); stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	var rep struct {
		Findings   []json.RawMessage
		Suppressed []struct{ By string }
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(rep.Suppressed) == 0 || rep.Suppressed[0].By != "baseline" {
		t.Errorf("with baseline: %d findings, suppressed %+v; want none and baseline suppressions", len(rep.Findings), rep.Suppressed)
	}
}

func TestScanErrors(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	dir := p.repo.Dir
	notRepo := t.TempDir()
	badCfg := filepath.Join(t.TempDir(), "picket.yml")
	if err := os.WriteFile(badCfg, []byte("# comment\nexclude:\n  - docs/**\n\nrules:\n  disable: []\nfail_onn: high\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad revision", []string{"--repo", dir, "--base", "xyz", "--head", "HEAD"}, `picket: bad revision "xyz"`},
		{"not a repository", []string{"--repo", notRepo}, "picket: not a git repository: " + notRepo},
		{"bad config key", []string{"--repo", dir, "--config", badCfg}, "picket: " + badCfg + `:7: unknown key "fail_onn" (did you mean "fail_on"?)`},
		{"missing explicit config", []string{"--repo", dir, "--config", badCfg + ".nope"}, "picket: --config: "},
		{"bad format", []string{"--repo", dir, "--format", "xml"}, `picket: --format: unknown format "xml"`},
		{"bad fail-on", []string{"--repo", dir, "--fail-on", "severe"}, `picket: --fail-on: unknown severity "severe"`},
		{"diff with revisions", []string{"--diff", "-", "--base", "main"}, "picket: --diff cannot be combined with --base"},
		{"unknown flag", []string{"--colour"}, "picket: scan: flag provided but not defined: -colour"},
		{"missing baseline", []string{"--repo", dir, "--baseline", filepath.Join(notRepo, "none.json")}, "picket: --baseline: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := picket(t, "", append([]string{"scan"}, tt.args...)...)
			if res.code != exitError {
				t.Errorf("exit %d, want %d", res.code, exitError)
			}
			if !strings.HasPrefix(res.stderr, tt.want) || strings.Count(res.stderr, "\n") != 1 {
				t.Errorf("stderr = %q, want one line starting %q", res.stderr, tt.want)
			}
		})
	}

	t.Run("bad key in the repository's own config", func(t *testing.T) {
		cfgDir := filepath.Join(dir, ".github")
		if err := os.MkdirAll(cfgDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfgDir, "picket.yml"), []byte("fail_on: high\nreview:\n  max_coments: 3\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		want := "picket: " + filepath.Join(dir, ".github", "picket.yml") + `:3: unknown key "review.max_coments" (did you mean "review.max_comments"?)` + "\n"
		// From the root and from a sub-directory, the repository's file is read.
		for _, repo := range []string{dir, filepath.Join(dir, "config")} {
			res := picket(t, "", "scan", "--repo", repo)
			if res.code != exitError || res.stderr != want {
				t.Errorf("--repo %s: exit %d, stderr %q; want %d and %q", repo, res.code, res.stderr, exitError, want)
			}
		}
	})
}

func TestRulesCommand(t *testing.T) {
	t.Parallel()
	res := picket(t, "", "rules", "--format", "json")
	if res.code != exitOK {
		t.Fatalf("rules = exit %d; stderr %s", res.code, res.stderr)
	}
	var rules []struct{ ID, Kind, Severity, Title string }
	if err := json.Unmarshal([]byte(res.stdout), &rules); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range rules {
		if r.ID == "" || r.Kind == "" || r.Severity == "" || r.Title == "" {
			t.Errorf("incomplete rule %+v", r)
		}
		kinds[r.Kind] = true
	}
	if !kinds["secret"] {
		t.Errorf("picket rules lists no secret rules (kinds %v)", kinds)
	}
	table := picket(t, "", "rules")
	if table.code != exitOK || !strings.HasPrefix(table.stdout, "ID") || strings.Count(table.stdout, "\n") != len(rules)+1 {
		t.Errorf("rules table = exit %d with %d lines, want a header and %d rules", table.code, strings.Count(table.stdout, "\n"), len(rules))
	}
	if bad := picket(t, "", "rules", "--format", "sarif"); bad.code != exitError {
		t.Errorf("rules --format sarif = exit %d, want %d", bad.code, exitError)
	}
}

// TestRulesDocFresh fails when docs/rules.md differs from what
// `picket rules --format markdown` prints; `make generate` rewrites it.
func TestRulesDocFresh(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	res := picket(t, "", "rules", "--format", "markdown")
	if res.code != exitOK || res.stdout != string(want) {
		t.Errorf("docs/rules.md is stale (exit %d): run make generate and commit it", res.code)
	}
}

func TestVersionAndHelp(t *testing.T) {
	t.Parallel()
	res := picket(t, "", "version")
	if res.code != exitOK || !strings.HasPrefix(res.stdout, "picket "+version) {
		t.Errorf("version = exit %d %q, want it to start with %q", res.code, res.stdout, "picket "+version)
	}
	help := picket(t, "", "help")
	for _, c := range []string{"scan", "serve", "rules", "version"} {
		if !strings.Contains(help.stdout, "  "+c+" ") {
			t.Errorf("help does not list %s:\n%s", c, help.stdout)
		}
	}
	scanHelp := picket(t, "", "scan", "-h")
	if scanHelp.code != exitOK || !strings.Contains(scanHelp.stdout, "flags override the configuration file") {
		t.Errorf("scan -h = exit %d, want 0 and the precedence note:\n%s", scanHelp.code, scanHelp.stdout)
	}
	if res := picket(t, "", "deploy"); res.code != exitError || !strings.Contains(res.stderr, `unknown command "deploy"`) {
		t.Errorf("deploy = exit %d %q, want an unknown-command error", res.code, res.stderr)
	}
	if res := picket(t, ""); res.code != exitError {
		t.Errorf("no arguments = exit %d, want %d", res.code, exitError)
	}
}
