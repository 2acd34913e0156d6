package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/scanners"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		line int
		key  string
		want string // substring of the message
	}{
		{"unknown top-level key with suggestion", "exclude: []\n\n\n\n\n\nfail_onn: high\n", 7, "fail_onn", `unknown key "fail_onn" (did you mean "fail_on"?)`},
		{"unknown nested key with suggestion", "rules:\n  disabel: [secrets/jwt]\n", 2, "rules.disabel", `unknown key "rules.disabel" (did you mean "rules.disable"?)`},
		{"unknown key without suggestion lists known", "zzz: 1\n", 1, "zzz", "known keys: build, exclude, fail_on"},
		{"bad severity", "fail_on: severe\n", 1, "fail_on", `unknown severity "severe"`},
		{"severity wrong type", "fail_on: [high]\n", 1, "fail_on", "expected a string, got a list"},
		{"exclude not a list", "exclude: '**/x'\n", 1, "exclude", "expected a list of strings"},
		{"bad glob", "exclude:\n  - ok/**\n  - 'bad/[x'\n", 3, "exclude[1]", `invalid glob "bad/[x"`},
		{"max_file_size string", "max_file_size: big\n", 1, "max_file_size", "expected an integer"},
		{"max_file_size zero", "max_file_size: 0\n", 1, "max_file_size", "positive"},
		{"disable not an id", "rules:\n  disable: [jwt]\n", 2, "rules.disable[0]", "not a rule id"},
		{"disable bad pattern", "rules:\n  disable: ['secrets/[']\n", 2, "rules.disable[0]", "invalid pattern"},
		{"severity override bad level", "rules:\n  severity:\n    secrets/jwt: urgent\n", 3, "rules.severity.secrets/jwt", `unknown severity "urgent"`},
		{"severity override not an id", "rules:\n  severity:\n    jwt: low\n", 3, "rules.severity", "not a rule id"},
		{"review event", "review:\n  event: APPROVE\n", 2, "review.event", "unknown review event"},
		{"max_comments too high", "review:\n  max_comments: 31\n", 2, "review.max_comments", "between 1 and 30"},
		{"max_comments zero", "review:\n  max_comments: 0\n", 2, "review.max_comments", "between 1 and 30"},
		{"drafts not bool", "review:\n  drafts: yes please\n", 2, "review.drafts", "expected true or false"},
		{"secret rule without regex", "secrets:\n  rules:\n    - id: acme\n", 3, "secrets.rules[0].regex", "is required"},
		{"secret rule bad regex", "secrets:\n  rules:\n    - id: acme\n      regex: 'acme_(['\n", 4, "secrets.rules[0].regex", "invalid regular expression"},
		{"secret rule group out of range", "secrets:\n  rules:\n    - id: acme\n      regex: 'acme_[a-z]+'\n      secret_group: 1\n", 5, "secrets.rules[0].secret_group", "no capture group 1"},
		{"secret rule unknown key", "secrets:\n  rules:\n    - id: acme\n      regexx: x\n", 4, "secrets.rules[0].regexx", `did you mean "secrets.rules[0].regex"?`},
		{"secret rule duplicate id", "secrets:\n  rules:\n    - {id: a, regex: x}\n    - {id: a, regex: y}\n", 4, "secrets.rules[1].id", "duplicate"},
		{"secret rule entropy range", "secrets:\n  rules:\n    - {id: a, regex: x, entropy: 9}\n", 3, "secrets.rules[0].entropy", "between 0 and 8"},
		{"allowlist bad regex", "secrets:\n  rules:\n    - id: a\n      regex: x\n      allowlist:\n        regexes: ['(']\n", 6, "secrets.rules[0].allowlist.regexes[0]", "invalid regular expression"},
		{"gitleaks config outside repo", "secrets:\n  gitleaks_config: ../x.toml\n", 2, "secrets.gitleaks_config", "inside the repository"},
		{"host with scheme", "build:\n  allowed_hosts: ['https://example.com']\n", 2, "build.allowed_hosts[0]", "not a host name"},
		{"bad owner", "build:\n  tag_owners: ['not an owner']\n", 2, "build.tag_owners[0]", "not a GitHub user"},
		{"duplicate key", "fail_on: high\nfail_on: low\n", 2, "fail_on", "duplicate key"},
		{"top level is a list", "- a\n- b\n", 1, "", "must be a mapping"},
		{"syntax error", "fail_on: high\n  exclude: x\n", 2, "", "invalid YAML"},
		{"section wrong type", "rules: [a]\n", 1, "rules", "expected a mapping, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.doc), ".github/picket.yml")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error = %v, want a *ParseError", tt.doc, err)
			}
			if pe.Line != tt.line || pe.Key != tt.key || !strings.Contains(pe.Msg, tt.want) {
				t.Errorf("Parse(%q) = line %d key %q msg %q, want line %d key %q msg containing %q",
					tt.doc, pe.Line, pe.Key, pe.Msg, tt.line, tt.key, tt.want)
			}
			if !strings.HasPrefix(err.Error(), ".github/picket.yml:") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestParseErrorFormat(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte("exclude: []\n\n\n\n\n\nfail_onn: high\n"), ".github/picket.yml")
	want := `.github/picket.yml:7: unknown key "fail_onn" (did you mean "fail_on"?)`
	if err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %s", err, want)
	}
}

func TestParseValues(t *testing.T) {
	t.Parallel()
	doc := `
fail_on: Medium
exclude: ["**/testdata/**", docs/*.md]
max_file_size: 1048576
rules:
  disable: [secrets/generic-*, build/curl-pipe-shell]
  severity:
    secrets/jwt: low
secrets:
  gitleaks_config: ./.gitleaks.toml
  rules:
    - id: acme-token
      description: ACME API token
      regex: 'acme_([a-z0-9]{32})'
      secret_group: 1
      keywords: [acme_]
      entropy: 3.5
      severity: critical
      allowlist:
        regexes: ['^acme_0+$']
        paths: ['^test/']
        stop_words: [example]
build:
  allowed_hosts: [Example.COM, "*.internal.example.org"]
  tag_owners: [actions, my-org]
sast:
  languages: [Go, python]
review:
  event: request_changes
  drafts: true
  max_comments: 10
`
	got, err := Parse([]byte(doc), "picket.yml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		FailOn:      scanners.Medium,
		Exclude:     []string{"**/testdata/**", "docs/*.md"},
		MaxFileSize: 1 << 20,
		Rules: RulesConfig{
			Disable:  []string{"secrets/generic-*", "build/curl-pipe-shell"},
			Severity: map[string]scanners.Severity{"secrets/jwt": scanners.Low},
		},
		Secrets: SecretsConfig{
			GitleaksConfig: ".gitleaks.toml",
			Rules: []SecretRule{{
				ID: "acme-token", Description: "ACME API token", Regex: "acme_([a-z0-9]{32})", SecretGroup: 1,
				Keywords: []string{"acme_"}, Entropy: 3.5, Severity: scanners.Critical,
				Allowlist: SecretAllowlist{Regexes: []string{"^acme_0+$"}, Paths: []string{"^test/"}, StopWords: []string{"example"}},
			}},
		},
		Build:  BuildConfig{AllowedHosts: []string{"example.com", "*.internal.example.org"}, TagOwners: []string{"actions", "my-org"}},
		SAST:   SASTConfig{Languages: []string{"go", "python"}},
		Review: ReviewConfig{Event: "REQUEST_CHANGES", Drafts: true, MaxComments: 10},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{"", "\n# only a comment\n", "---\n", "~\n", "rules:\nreview:\n"} {
		got, err := Parse([]byte(doc), "x.yml")
		if err != nil {
			t.Errorf("Parse(%q): %v", doc, err)
			continue
		}
		if diff := cmp.Diff(Default(), got); diff != "" {
			t.Errorf("Parse(%q) is not the default (-want +got):\n%s", doc, diff)
		}
	}
}

func TestParseSecretRuleDefaults(t *testing.T) {
	t.Parallel()
	got, err := Parse([]byte("secrets:\n  rules:\n    - {secret_group: 1, regex: 'k_(x+)', id: k}\n"), "x.yml")
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Secrets.Rules[0]; r.Severity != DefaultSecretSeverity || r.SecretGroup != 1 {
		t.Errorf("rule = %+v, want severity %v and group 1", r, DefaultSecretSeverity)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	t.Run("missing file gives defaults", func(t *testing.T) {
		got, err := Load(filepath.Join(dir, "nope.yml"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(Default(), got); diff != "" {
			t.Errorf("Load(missing) (-want +got):\n%s", diff)
		}
	})
	t.Run("parse error names the path", func(t *testing.T) {
		p := filepath.Join(dir, "bad.yml")
		if err := os.WriteFile(p, []byte("fail_on: nope\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != p || pe.Line != 1 {
			t.Errorf("Load(bad) = %v, want a ParseError at %s:1", err, p)
		}
	})
	t.Run("a directory is a load error", func(t *testing.T) {
		_, err := Load(dir)
		var le *LoadError
		if !errors.As(err, &le) {
			t.Errorf("Load(dir) = %v, want a *LoadError", err)
		}
	})
}

// TestDocumentedExample keeps docs/configuration.md honest: its full
// example must parse, and must set every top-level key.
func TestDocumentedExample(t *testing.T) {
	t.Parallel()
	md, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(md, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/configuration.md has no ```yaml block")
	}
	for i, b := range blocks {
		if _, err := Parse(b[1], "docs/configuration.md block "+string(rune('1'+i))); err != nil {
			t.Errorf("example %d does not parse: %v", i+1, err)
		}
	}
	full := string(blocks[0][1])
	for k := range topLevel(Default()) {
		if !regexp.MustCompile(`(?m)^` + k + `:`).MatchString(full) {
			t.Errorf("the full example in docs/configuration.md does not set %q", k)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("fail_on: high\nexclude: ['**/x']\n"))
	f.Add([]byte("rules:\n  severity:\n    a/b: low\n  disable: [a/*]\n"))
	f.Add([]byte("secrets:\n  rules:\n    - {id: a, regex: 'x(y)', secret_group: 1}\n"))
	f.Add([]byte("review: {event: COMMENT, max_comments: 3, drafts: false}\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("- [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "fuzz.yml")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v is not a *ParseError", err)
			}
			return
		}
		if cfg.Review.MaxComments < 1 || cfg.Review.MaxComments > MaxReviewComments || cfg.MaxFileSize < 1 {
			t.Fatalf("Parse accepted out-of-range values: %+v", cfg)
		}
		for _, r := range cfg.Secrets.Rules {
			if r.ID == "" || r.Regex == "" {
				t.Fatalf("Parse accepted an incomplete secret rule: %+v", r)
			}
		}
	})
}
