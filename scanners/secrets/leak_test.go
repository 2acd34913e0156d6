package secrets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
	"github.com/picketsec/picket/scanners/secrets"
)

// planted are credentials in several shapes; none may appear in any output.
var planted = []struct{ path, line, secret string }{
	{"app/config.py", `STRIPE_KEY = "%s"`, "sk_live_4hQ9vXb2LmN7pR3sT8wY1zKc"},
	{".env", "DB_PASSWORD=%s", "Vq7#mZ2pLx9!Rt4w"},
	{"deploy/db.yml", "url: postgres://app:%s@db.prod.internal/app", "Hk3LpQ9zXw2MvN7r"},
	{"web/client.ts", `const clientSecret = "%s";`, "aZ8kP3qL0xW5vN2mR7tY4uB6cD1eF9gH"},
}

// TestNoSecretInOutput plants secrets and renders the report every way a
// program might: JSON, fmt verbs, a slog JSON handler, and error strings.
func TestNoSecretInOutput(t *testing.T) {
	s := newScanner(t)
	var files []*scannertestFile
	for _, p := range planted {
		files = append(files, &scannertestFile{p.path, fmt.Sprintf("# settings\n"+p.line+"\n", p.secret)})
	}
	for _, f := range files {
		rep := scannertest.Scan(t, s, scannertest.NewFile(f.path, nil, []byte(f.content)))
		if len(rep.Findings) == 0 {
			t.Fatalf("%s: no finding; the test would prove nothing", f.path)
		}
		var out bytes.Buffer
		js, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(js)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			fmt.Fprintf(&out, verb, rep.Findings)
			fmt.Fprintf(&out, verb, rep)
		}
		log := slog.New(slog.NewJSONHandler(&out, nil))
		for _, f := range rep.Findings {
			log.Info("finding", "finding", f, "evidence", f.Evidence, "message", f.Message)
			out.WriteString(f.Evidence.String() + f.Message + string(f.Fingerprint))
		}
		for _, p := range planted {
			if strings.Contains(out.String(), p.secret) {
				t.Errorf("%s: planted secret %.4s… appears in the output", f.path, p.secret)
			}
		}
	}
}

type scannertestFile struct{ path, content string }

// TestErrorsNeverEchoSecrets: a custom rule whose regex is invalid is an
// error naming the rule, and contains no scanned content.
func TestCustomRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		rule config.SecretRule
		want string
	}{
		{"bad regex", config.SecretRule{ID: "acme-token", Regex: `acme_(`}, `"acme-token"`},
		{"bad group", config.SecretRule{ID: "acme-token", Regex: `acme_([a-z]+)`, SecretGroup: 2}, "no capture group 2"},
		{"bad allowlist", config.SecretRule{ID: "acme-token", Regex: `acme_[a-z]+`, Allowlist: config.SecretAllowlist{Regexes: []string{"("}}}, "allowlist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secrets.New(secrets.Options{Rules: []config.SecretRule{tt.rule}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%+v) error = %v, want one containing %q", tt.rule, err, tt.want)
			}
		})
	}
}

// TestCustomRules: a custom rule fires on its keyword, honours its
// secret group, entropy and allowlist, and never reports the raw value.
func TestCustomRules(t *testing.T) {
	s, err := secrets.New(secrets.Options{Rules: []config.SecretRule{{
		ID: "acme-token", Description: "Acme internal token", Regex: `\b(acme_[A-Za-z0-9]{24})\b`, SecretGroup: 1,
		Keywords: []string{"acme_"}, Entropy: 3, Severity: scanners.Critical,
		Allowlist: config.SecretAllowlist{StopWords: []string{"sandbox"}, Paths: []string{`^testdata/`}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, content string
		want                int
	}{
		{"fires", "app/main.go", `var t = "acme_Q3mX8pL2vN7rT4wZ9kB6cY1s"`, 1},
		{"low entropy", "app/main.go", `var t = "acme_aaaaaaaaaaaaaaaaaaaaaaab"`, 0},
		{"stop word", "app/main.go", `var t = "acme_sandboxQ3mX8pL2vN7rT4wZ"`, 0},
		{"allowed path", "testdata/x.go", `var t = "acme_Q3mX8pL2vN7rT4wZ9kB6cY1s"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := s.Scan(context.Background(), scanners.Input{Path: tt.path, Content: []byte(tt.content)})
			if err != nil {
				t.Fatal(err)
			}
			var got int
			for _, f := range fs {
				if f.Rule.ID == "secrets/custom-acme-token" {
					got++
					if f.Rule.Severity != scanners.Critical || strings.Contains(f.Message+f.Match, "acme_Q3") {
						t.Errorf("finding %+v: wrong severity or leaks the value", f)
					}
				}
			}
			if got != tt.want {
				t.Errorf("custom findings = %d, want %d", got, tt.want)
			}
		})
	}
}

const gitleaksTOML = `
title = "acme"

[extend]
useDefault = true

[[rules]]
id = "acme-key"
description = "Acme API key"
regex = '''acme[_-]key\s*=\s*"([a-f0-9]{32})"'''
keywords = ["acme"]
entropy = 2.5

[rules.allowlist]
regexes = ['''^0123''']

[[rules]]
id = "path-only"
path = '''\.p12$'''

[allowlist]
paths = ['''^vendor/''']
`

func TestLoadGitleaks(t *testing.T) {
	rules, err := secrets.LoadGitleaks(strings.NewReader(gitleaksTOML))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].ID != "acme-key" || rules[0].SecretGroup != 1 || len(rules[0].Allowlist.Paths) != 1 || len(rules[0].Allowlist.Regexes) != 1 {
		t.Fatalf("LoadGitleaks = %+v, want the one regex rule with group 1 and both allowlists", rules)
	}
	s, err := secrets.New(secrets.Options{Gitleaks: []byte(gitleaksTOML)})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"app/a.py": 1, "vendor/a.py": 0} {
		fs, err := s.Scan(context.Background(), scanners.Input{Path: path, Content: []byte(`acme_key = "9f86d081884c7d659a2feaa0c55ad015"` + "\n")})
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, f := range fs {
			if f.Rule.ID == "secrets/custom-acme-key" {
				got++
				if f.Range.StartCol != 13 {
					t.Errorf("StartCol = %d, want 13 (the secret group)", f.Range.StartCol)
				}
			}
		}
		if got != want {
			t.Errorf("%s: %d findings of the gitleaks rule, want %d", path, got, want)
		}
	}
	for _, bad := range []string{"[[rules]]\nid = \"x\"\nregex = \"(\"\n", "[[rules]\n"} {
		if _, err := secrets.LoadGitleaks(strings.NewReader(bad)); err == nil {
			t.Errorf("LoadGitleaks(%q) = nil error", bad)
		}
	}
}

func TestMask(t *testing.T) {
	tok := "sk_live_4hQ9vXb2LmN7pR3sT8wY1zKc"
	in := "stripe rejected key " + tok + " for account acme"
	got := secrets.Mask(in)
	if strings.Contains(got, tok) || !strings.Contains(got, "sk_l… (32 chars)") || !strings.HasPrefix(got, "stripe rejected key ") || !strings.HasSuffix(got, " for account acme") {
		t.Errorf("Mask(%q) = %q", in, got)
	}
	if plain := "nothing to see"; secrets.Mask(plain) != plain {
		t.Errorf("Mask changed a text without secrets")
	}
}

// TestFindingShape checks the exact range, message and redaction of one finding.
func TestFindingShape(t *testing.T) {
	s := newScanner(t)
	tok := "sk_live_4hQ9vXb2LmN7pR3sT8wY1zKc"
	fs, err := s.Scan(context.Background(), scanners.Input{Path: "a.py", Content: []byte("x = 1\nKEY = \"" + tok + "\"\n")})
	if err != nil || len(fs) != 1 {
		t.Fatalf("Scan = %v, %v; want one finding", fs, err)
	}
	f := fs[0]
	want := scanners.Range{StartLine: 2, StartCol: 8, EndLine: 2, EndCol: 8 + len(tok)}
	if f.Range != want {
		t.Errorf("Range = %+v, want %+v", f.Range, want)
	}
	if f.Rule.ID != "secrets/stripe-secret-key" || !strings.Contains(f.Message, "Stripe") || strings.Contains(f.Message, tok) {
		t.Errorf("finding = %s: %q", f.Rule.ID, f.Message)
	}
	if f.Evidence.Length() != len(tok) || f.Evidence.Prefix() != "sk_l" || len(f.Match) != 64 || strings.Contains(f.Match, tok) {
		t.Errorf("evidence %v, match %q: want redacted evidence and a sha256 match", f.Evidence, f.Match)
	}
}

// TestPrivateKeyRange: one finding spans the BEGIN line to the END line,
// and re-wrapping the body keeps its fingerprint input.
func TestPrivateKeyRange(t *testing.T) {
	s := newScanner(t)
	body := []string{
		"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
		"VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
		"LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
		"9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvre",
	}
	key := func(width int) string {
		joined := strings.Join(body, "")
		var lines []string
		for len(joined) > width {
			lines = append(lines, joined[:width])
			joined = joined[width:]
		}
		lines = append(lines, joined)
		return "# tls\n-----BEGIN RSA PRIVATE KEY-----\n" + strings.Join(lines, "\n") + "\n-----END RSA PRIVATE KEY-----\n"
	}
	a, err := s.Scan(context.Background(), scanners.Input{Path: "tls/server.key", Content: []byte(key(64))})
	if err != nil || len(a) != 1 {
		t.Fatalf("Scan = %v, %v; want one finding", a, err)
	}
	if r := a[0].Range; r.StartLine != 2 || r.EndLine != 7 || r.StartCol != 1 {
		t.Errorf("Range = %+v, want lines 2..7 from column 1", r)
	}
	b, err := s.Scan(context.Background(), scanners.Input{Path: "tls/server.key", Content: []byte(key(76))})
	if err != nil || len(b) != 1 || b[0].Match != a[0].Match {
		t.Errorf("re-wrapped key: %v, %v; want one finding with the same match hash", b, err)
	}
}
