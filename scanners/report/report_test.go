package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// plantedSecret is in the sample report's evidence (redacted) and must
// appear in no output.
const plantedSecret = "ghp_R3aLlyS3cr3tT0k3nV4lu3xxxxxxxxxxxxx1"

var (
	ruleGitHubPAT = scanners.Rule{
		ID: "secrets/github-pat", Kind: scanners.KindSecret, Severity: scanners.Critical,
		Title: "GitHub personal access token", Why: "A token grants access to repositories.",
		Fix: "Revoke the token, then remove it.", CWE: []string{"CWE-798"},
		Refs: []string{"https://docs.github.com/en/authentication"}, Example: "token = ghp_…",
	}
	ruleCurl = scanners.Rule{
		ID: "build/curl-pipe-shell", Kind: scanners.KindBuild, Severity: scanners.High,
		Title: "Remote script piped to a shell", Why: "Whoever controls the URL runs code in CI.",
		Fix: "Download, verify a checksum, then run.", CWE: []string{"CWE-494"},
	}
	ruleUnused = scanners.Rule{
		ID: "sast/sql-concat", Kind: scanners.KindSAST, Severity: scanners.Medium,
		Title: "SQL built by concatenation", Why: "Injection | data loss.", Fix: "Use parameters.",
	}
)

// sampleReport has findings in two files, a re-rated one, a suppressed
// one, a skipped file and a scanner error; Duration is zero for goldens.
func sampleReport() *scanners.Report {
	return &scanners.Report{
		Base: "1111111111111111111111111111111111111111",
		Head: "2222222222222222222222222222222222222222",
		Findings: []scanners.Finding{
			{
				Rule: ruleCurl, Severity: scanners.High, Path: ".github/workflows/ci.yml",
				Range: scanners.Range{StartLine: 12, StartCol: 9, EndLine: 12, EndCol: 60}, Message: "curl output is piped to sh",
				Fingerprint: "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff0000", Placement: scanners.InChangedLines,
			},
			{
				Rule: ruleGitHubPAT, Severity: scanners.Critical, Path: "config/app.env",
				Range: scanners.Range{StartLine: 3, StartCol: 14, EndLine: 3, EndCol: 53}, Message: "GitHub personal access token",
				Evidence:    scanners.Redact(plantedSecret),
				Fingerprint: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Placement: scanners.InChangedLines,
			},
			{
				Rule: ruleGitHubPAT, Severity: scanners.Medium, Path: "config/app.env",
				Range: scanners.Range{StartLine: 9, EndLine: 11}, Message: "GitHub personal access token\n(in a multi-line value)",
				Evidence:    scanners.Redact(plantedSecret + "2"),
				Fingerprint: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", Placement: scanners.InFile,
			},
		},
		Suppressed: []scanners.SuppressedFinding{{
			Finding: scanners.Finding{
				Rule: ruleGitHubPAT, Severity: scanners.Critical, Path: "test/fixture.go",
				Range: scanners.Range{StartLine: 5, StartCol: 2, EndLine: 5, EndCol: 41}, Message: "GitHub personal access token",
				Evidence:    scanners.Redact(plantedSecret + "3"),
				Fingerprint: "9999999999999999999999999999999999999999999999999999999999999999",
			},
			By: "inline", Reason: "test fixture",
		}},
		Files: []scanners.FileResult{
			{Path: ".github/workflows/ci.yml", Status: diff.Modified, Outcome: scanners.Scanned, Bytes: 900, Findings: 1},
			{Path: "config/app.env", Status: diff.Added, Outcome: scanners.Scanned, Bytes: 300, Findings: 2},
			{Path: "logo.png", Status: diff.Added, Outcome: scanners.Skipped, Skip: &diff.SkipReason{Code: diff.SkipBinary}},
			{Path: "old.txt", Status: diff.Deleted, Outcome: scanners.Skipped, Skip: &diff.SkipReason{Code: diff.SkipDeleted}},
			{Path: "test/fixture.go", Status: diff.Added, Outcome: scanners.Scanned, Bytes: 120},
			{Path: "vendor/testdata/x.txt", Status: diff.Added, Outcome: scanners.Skipped, Skip: &diff.SkipReason{Code: diff.SkipExcluded, Detail: "matches exclude"}},
		},
		Scanners: []scanners.ScannerStatus{
			{Name: "build", Version: 1, Files: 1, Findings: 1, Errors: []scanners.FileError{{Path: "Makefile", Error: "parse: unexpected EOF"}}},
			{Name: "secrets", Version: 3, Files: 3, Findings: 2},
		},
		Stats: scanners.Stats{Files: 6, Scanned: 3, Skipped: 3, Bytes: 1320},
	}
}

func sampleOptions() Options {
	return Options{ToolVersion: "1.2.3", Rules: []scanners.Rule{ruleGitHubPAT, ruleCurl, ruleUnused}}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got), run with -update if intended:\n%s", name, d)
	}
}

func render(t *testing.T, f Format, rep *scanners.Report, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, rep, opts); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	if bytes.Contains(buf.Bytes(), []byte(plantedSecret[5:])) {
		t.Fatalf("%s output contains the planted secret", f)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		format Format
		rep    *scanners.Report
		opts   Options
	}{
		{"text.golden", Text, sampleReport(), sampleOptions()},
		{"text-color.golden", Text, sampleReport(), Options{Color: true}},
		{"text-empty.golden", Text, &scanners.Report{Findings: []scanners.Finding{}, Stats: scanners.Stats{Files: 2, Scanned: 2, Bytes: 2048}}, Options{}},
		{"report.json.golden", JSON, sampleReport(), sampleOptions()},
		{"report.sarif.golden", SARIF, sampleReport(), sampleOptions()},
		{"empty.sarif.golden", SARIF, &scanners.Report{Findings: []scanners.Finding{}}, Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, render(t, tt.format, tt.rep, tt.opts))
		})
	}
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	plain := render(t, Text, sampleReport(), Options{})
	if bytes.Contains(plain, []byte("\x1b[")) {
		t.Error("text without Color contains ANSI escapes")
	}
	colored := render(t, Text, sampleReport(), Options{Color: true})
	if !bytes.Contains(colored, []byte(ansiRed)) {
		t.Error("text with Color has no ANSI escapes")
	}
}

func TestColorable(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tt := range []struct {
		name string
		w    any
		env  func(string) string
	}{
		{"buffer", &bytes.Buffer{}, env()},
		{"regular file", f, env()},
		{"NO_COLOR", f, env("NO_COLOR", "1")},
	} {
		if Colorable(tt.w.(interface{ Write([]byte) (int, error) }), tt.env) {
			t.Errorf("Colorable(%s) = true, want false: only a terminal gets colour", tt.name)
		}
	}
}

func TestTextGroupsByFile(t *testing.T) {
	t.Parallel()
	out := string(render(t, Text, sampleReport(), Options{}))
	if n := strings.Count(out, "\nconfig/app.env\n"); n != 1 {
		t.Errorf("file heading config/app.env appears %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"3 findings in 2 files (1 critical, 1 high, 1 medium)", "logo.png  binary", "error build: Makefile: parse: unexpected EOF", "1 suppressed"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "old.txt") || strings.Contains(out, "vendor/testdata") {
		t.Errorf("text output lists a deleted or excluded file as skipped:\n%s", out)
	}
	if !strings.Contains(out, "3 skipped (1 excluded)") {
		t.Errorf("text summary does not count the excluded file:\n%s", out)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rep := sampleReport()
	var got struct {
		Version  int    `json:"version"`
		Tool     string `json:"tool"`
		Findings []struct {
			Fingerprint scanners.Fingerprint `json:"fingerprint"`
			Evidence    scanners.Redacted    `json:"evidence"`
			Placement   string               `json:"placement"`
		} `json:"findings"`
		Files    []map[string]any `json:"files"`
		Stats    scanners.Stats   `json:"stats"`
		Scanners []map[string]any `json:"scanners"`
		Supp     []map[string]any `json:"suppressed"`
	}
	if err := json.Unmarshal(render(t, JSON, rep, sampleOptions()), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != JSONVersion || got.Tool != "picket" || len(got.Findings) != 3 || len(got.Supp) != 1 {
		t.Fatalf("JSON = version %d tool %q %d findings %d suppressed, want %d picket 3 1", got.Version, got.Tool, len(got.Findings), len(got.Supp), JSONVersion)
	}
	f := got.Findings[1]
	if f.Fingerprint != rep.Findings[1].Fingerprint || f.Evidence.Length() != len(plantedSecret) || f.Evidence.Prefix() != rep.Findings[1].Evidence.Prefix() || f.Placement != "changed-lines" {
		t.Errorf("finding round trip = %+v, want fingerprint and redacted evidence of %+v", f, rep.Findings[1])
	}
}

func TestSARIFSchema(t *testing.T) {
	t.Parallel()
	for name, rep := range map[string]*scanners.Report{"sample": sampleReport(), "empty": {Findings: []scanners.Finding{}}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			reporttest.ValidateSARIF(t, render(t, SARIF, rep, sampleOptions()))
		})
	}
}

func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	t.Parallel()
	// The validator must be able to fail: a log without runs is invalid.
	if err := reporttest.Validate([]byte(`{"version": "2.1.0"}`)); err == nil {
		t.Error("Validate accepted a SARIF log without runs")
	}
	if err := reporttest.Validate([]byte(`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`)); err == nil {
		t.Error("Validate accepted a driver without a name")
	}
}

// sarifDoc is the part of a SARIF log the content checks read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct{ Kind, Justification string }
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
				}
			}
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	t.Parallel()
	rep := sampleReport()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, SARIF, rep, sampleOptions()), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 3 {
		t.Fatalf("got %d rules, want 3 (two used, one only listed)", len(rules))
	}
	for _, r := range rules {
		tags, _ := r.Properties["tags"].([]any)
		var kinds []string
		for _, tg := range tags {
			kinds = append(kinds, tg.(string))
		}
		kind := strings.SplitN(r.ID, "/", 2)[0]
		want := map[string]string{"secrets": "secret", "build": "build", "sast": "sast"}[kind]
		if !strings.Contains(strings.Join(kinds, ","), want) {
			t.Errorf("rule %s tags %v lack its kind %q", r.ID, kinds, want)
		}
		if r.Properties["security-severity"] == nil || r.Help.Text == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %s lacks security-severity, help or default level: %+v", r.ID, r)
		}
	}
	if got := rules[2].Properties["security-severity"]; rules[2].ID != "secrets/github-pat" || got != scanners.Critical.SecurityScore() {
		t.Errorf("rule %s security-severity = %v, want %s", rules[2].ID, got, scanners.Critical.SecurityScore())
	}
	if len(run.Results) != 4 {
		t.Fatalf("got %d results, want 3 findings + 1 suppressed", len(run.Results))
	}
	for i, res := range run.Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d ruleIndex %d points at %s, want %s", i, res.RuleIndex, rules[res.RuleIndex].ID, res.RuleID)
		}
		if len(res.PartialFingerprints[FingerprintKey]) != 64 {
			t.Errorf("result %d partialFingerprints = %v, want a %s entry", i, res.PartialFingerprints, FingerprintKey)
		}
	}
	pat := run.Results[1]
	reg := pat.Locations[0].PhysicalLocation.Region
	if pat.Level != "error" || pat.Locations[0].PhysicalLocation.ArtifactLocation.URI != "config/app.env" ||
		reg != (struct{ StartLine, StartColumn, EndLine, EndColumn int }{3, 14, 3, 53}) {
		t.Errorf("result 1 = %+v, want level error at config/app.env 3:14-3:53 (exclusive end, as in Range)", pat)
	}
	if rerated := run.Results[2]; rerated.Level != "warning" {
		t.Errorf("re-rated medium finding has level %q, want warning", rerated.Level)
	}
	sup := run.Results[3]
	if len(sup.Suppressions) != 1 || sup.Suppressions[0].Kind != "inSource" || !strings.Contains(sup.Suppressions[0].Justification, "test fixture") {
		t.Errorf("suppressed result suppressions = %+v, want one inSource with the reason", sup.Suppressions)
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"text", "JSON", "Sarif"} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
	if _, err := ParseRulesFormat("markdown"); err != nil {
		t.Error(err)
	}
	if _, err := ParseRulesFormat("sarif"); err == nil {
		t.Error("ParseRulesFormat(sarif) succeeded")
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	rules := []scanners.Rule{ruleGitHubPAT, ruleCurl, ruleUnused}
	for _, tt := range []struct {
		name   string
		format RulesFormat
	}{{"rules-table.golden", RulesTable}, {"rules.json.golden", RulesJSON}, {"rules.md.golden", RulesMarkdown}} {
		var buf bytes.Buffer
		if err := WriteRules(&buf, tt.format, rules); err != nil {
			t.Fatal(err)
		}
		golden(t, tt.name, buf.Bytes())
	}
}

func TestAnchor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"secrets/github-pat":     "secretsgithub-pat",
		"Kind: secret":           "kind-secret",
		"build/gha_unpinned.tag": "buildgha_unpinnedtag",
	} {
		if got := Anchor(in); got != want {
			t.Errorf("Anchor(%q) = %q, want %q", in, got, want)
		}
	}
}
