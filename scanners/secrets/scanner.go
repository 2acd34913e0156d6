package secrets

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// version is part of the result-cache key: bump it whenever a rule, a
// filter or the matching logic changes.
const version = 1

// Options configure a Scanner.
type Options struct {
	// Rules are custom rules from Picket's configuration or a gitleaks
	// file (see LoadGitleaks). Their ids become "secrets/custom-<id>".
	Rules []config.SecretRule
	// Gitleaks is the content of a gitleaks TOML configuration whose
	// [[rules]] are added to Rules; nil for none.
	Gitleaks []byte
}

// Scanner finds credentials. It holds only compiled rules, no per-run
// state, and is safe for concurrent use.
type Scanner struct {
	builtin *ruleSet
	custom  *ruleSet // nil without custom rules
	rules   []scanners.Rule
}

var _ scanners.Scanner = (*Scanner)(nil)

// New compiles the custom rules of opts next to the built-in ones. An
// invalid custom rule is an error naming its id.
func New(opts Options) (*Scanner, error) {
	b, err := builtinRules()
	if err != nil {
		return nil, fmt.Errorf("secrets: built-in rules: %w", err)
	}
	s := &Scanner{builtin: b}
	for _, r := range b.rules {
		s.rules = append(s.rules, r.meta)
	}
	customs := opts.Rules
	if opts.Gitleaks != nil {
		g, err := LoadGitleaks(bytes.NewReader(opts.Gitleaks))
		if err != nil {
			return nil, fmt.Errorf("secrets: %w", err)
		}
		customs = append(append([]config.SecretRule(nil), customs...), g...)
	}
	if len(customs) > 0 {
		seen := map[string]bool{}
		for _, r := range b.rules {
			seen[r.meta.ID] = true
		}
		var rules []*rule
		for _, c := range customs {
			r, err := compileCustom(c)
			if err != nil {
				return nil, fmt.Errorf("secrets: %w", err)
			}
			if seen[r.meta.ID] {
				return nil, fmt.Errorf("secrets: custom rule %q: duplicate id", c.ID)
			}
			seen[r.meta.ID] = true
			rules = append(rules, r)
			s.rules = append(s.rules, r.meta)
		}
		s.custom = newRuleSet(rules)
	}
	return s, nil
}

// customID turns a user's rule id into a rule id of this scanner.
func customID(id string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(id) {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return "secrets/custom-" + b.String()
}

func compileCustom(c config.SecretRule) (*rule, error) {
	if c.ID == "" {
		return nil, fmt.Errorf("custom rule without id")
	}
	rx, err := regexp.Compile(c.Regex)
	if err != nil {
		return nil, fmt.Errorf("custom rule %q: invalid regex: %w", c.ID, err)
	}
	if c.SecretGroup < 0 || c.SecretGroup > rx.NumSubexp() {
		return nil, fmt.Errorf("custom rule %q: no capture group %d in regex", c.ID, c.SecretGroup)
	}
	title := c.Description
	if title == "" {
		title = "Custom secret " + c.ID
	}
	r := &rule{def: def{
		name: strings.TrimPrefix(customID(c.ID), "secrets/"), title: title, provider: "the service that issued it",
		sev: c.Severity, keywords: c.Keywords, group: c.SecretGroup, entropy: c.Entropy, prio: prioSpecific,
		noFilter: true,
	}}
	r.rx = rx
	r.generic = len(c.Keywords) == 0
	for _, s := range c.Allowlist.Regexes {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("custom rule %q: allowlist regex: %w", c.ID, err)
		}
		r.allowRe = append(r.allowRe, re)
	}
	for _, s := range c.Allowlist.Paths {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("custom rule %q: allowlist path: %w", c.ID, err)
		}
		r.allowPth = append(r.allowPth, re)
	}
	for _, w := range c.Allowlist.StopWords {
		r.stop = append(r.stop, strings.ToLower(w))
	}
	r.meta = ruleMeta(r.def)
	r.meta.Why = "A value matching the repository's custom secret rule " + c.ID + " was committed; anyone who can read the repository or its history can use it."
	return r, nil
}

// Name is "secrets".
func (s *Scanner) Name() string { return "secrets" }

// Version changes with the rules.
func (s *Scanner) Version() int { return version }

// Rules lists the built-in rules and then the custom ones.
func (s *Scanner) Rules() []scanners.Rule { return s.rules }

// binaryExts are formats that never hold a committed secret as text.
var binaryExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".bmp": true,
	".pdf": true, ".zip": true, ".gz": true, ".tgz": true, ".xz": true, ".bz2": true, ".7z": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true, ".mp3": true, ".mp4": true,
	".mov": true, ".wasm": true, ".so": true, ".dylib": true, ".dll": true, ".exe": true, ".class": true,
}

// Wants every regular text file; binary formats and symlinks are skipped.
func (s *Scanner) Wants(f *diff.File) bool {
	if f.Mode == diff.ModeSymlink || f.Mode == diff.ModeSubmodule {
		return false
	}
	return !binaryExts[strings.ToLower(path.Ext(f.Path))]
}

// Scan reports every credential in one file version.
func (s *Scanner) Scan(ctx context.Context, in scanners.Input) ([]scanners.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := in.Path
	if p == "" && in.File != nil {
		p = in.File.Path
	}
	c := newScanCtx(in.Content, p)
	hits := s.builtin.find(c)
	if s.custom != nil {
		hits = resolve(append(hits, s.custom.find(c)...))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]scanners.Finding, 0, len(hits))
	for _, h := range hits {
		sl, sc := c.pos(h.start)
		el, ec := c.pos(h.end - 1)
		out = append(out, scanners.Finding{
			Rule:     h.rule.meta,
			Range:    scanners.Range{StartLine: sl, StartCol: sc, EndLine: el, EndCol: ec + 1},
			Message:  message(h.rule),
			Evidence: scanners.Redact(h.value),
			Match:    hashSecret(h.value),
		})
	}
	return out, nil
}

func message(r *rule) string {
	return fmt.Sprintf("%s committed: revoke it at %s, then load it from a secret store or the environment", r.title, r.provider)
}

// Mask returns text with every secret the built-in rules detect replaced
// by its redacted form ("ghp_… (40 chars)"). Other packages use it to keep
// messages, logs and comments safe.
func Mask(text string) string {
	rs, err := builtinRules()
	if err != nil || text == "" {
		return text
	}
	c := newScanCtx([]byte(text), "")
	hits := rs.find(c)
	if len(hits) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, h := range hits {
		if h.start < last {
			continue
		}
		b.WriteString(text[last:h.start])
		b.WriteString("[secret ")
		b.WriteString(scanners.Redact(h.value).String())
		b.WriteString("]")
		last = h.end
	}
	b.WriteString(text[last:])
	return b.String()
}
