package secrets

import (
	"fmt"
	"io"
	"regexp"

	"github.com/pelletier/go-toml/v2"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// gitleaksConfig is the subset of gitleaks' configuration Picket reads.
type gitleaksConfig struct {
	Rules      []gitleaksRule    `toml:"rules"`
	Allowlist  gitleaksAllowlist `toml:"allowlist"`  // gitleaks ≤ 8.24: one global allowlist
	Allowlists []gitleaksAllow   `toml:"allowlists"` // gitleaks ≥ 8.25: several
}

type gitleaksRule struct {
	ID          string            `toml:"id"`
	Description string            `toml:"description"`
	Regex       string            `toml:"regex"`
	Keywords    []string          `toml:"keywords"`
	Entropy     float64           `toml:"entropy"`
	SecretGroup int               `toml:"secretGroup"`
	Path        string            `toml:"path"`
	Tags        []string          `toml:"tags"`
	Allowlist   gitleaksAllowlist `toml:"allowlist"`
	Allowlists  []gitleaksAllow   `toml:"allowlists"`
}

type gitleaksAllowlist struct {
	Description string   `toml:"description"`
	Regexes     []string `toml:"regexes"`
	Paths       []string `toml:"paths"`
	StopWords   []string `toml:"stopwords"`
	Commits     []string `toml:"commits"`
	RegexTarget string   `toml:"regexTarget"`
	Condition   string   `toml:"condition"`
}

type gitleaksAllow = gitleaksAllowlist

// LoadGitleaks reads the [[rules]] of a gitleaks TOML configuration as
// custom rules: id, description, regex, keywords, entropy, secretGroup and
// each rule's allowlist(s) (regexes, paths, stopwords). The global
// [allowlist] and [[allowlists]] apply to every rule read. Rules without a
// regex (path-only rules) are skipped. Errors name the rule id.
func LoadGitleaks(r io.Reader) ([]config.SecretRule, error) {
	var cfg gitleaksConfig
	if err := toml.NewDecoder(r).Decode(&cfg); err != nil {
		return nil, fmt.Errorf("gitleaks config: %w", err)
	}
	global := append([]gitleaksAllowlist{cfg.Allowlist}, cfg.Allowlists...)
	var out []config.SecretRule
	for i, g := range cfg.Rules {
		if g.ID == "" {
			return nil, fmt.Errorf("gitleaks config: rule %d has no id", i+1)
		}
		if g.Regex == "" {
			continue
		}
		re, err := regexp.Compile(g.Regex)
		if err != nil {
			return nil, fmt.Errorf("gitleaks config: rule %q: invalid regex: %w", g.ID, err)
		}
		if g.SecretGroup < 0 || g.SecretGroup > re.NumSubexp() {
			return nil, fmt.Errorf("gitleaks config: rule %q: no capture group %d in regex", g.ID, g.SecretGroup)
		}
		group := g.SecretGroup
		if group == 0 && re.NumSubexp() > 0 {
			group = 1 // gitleaks reports the first group when secretGroup is unset
		}
		sr := config.SecretRule{
			ID: g.ID, Description: g.Description, Regex: g.Regex, Keywords: g.Keywords,
			Entropy: g.Entropy, SecretGroup: group, Severity: scanners.High,
		}
		lists := append([]gitleaksAllowlist{g.Allowlist}, g.Allowlists...)
		lists = append(lists, global...)
		for _, a := range lists {
			for _, s := range append(append([]string(nil), a.Regexes...), a.Paths...) {
				if _, err := regexp.Compile(s); err != nil {
					return nil, fmt.Errorf("gitleaks config: rule %q: allowlist regex: %w", g.ID, err)
				}
			}
			sr.Allowlist.Regexes = append(sr.Allowlist.Regexes, a.Regexes...)
			sr.Allowlist.Paths = append(sr.Allowlist.Paths, a.Paths...)
			sr.Allowlist.StopWords = append(sr.Allowlist.StopWords, a.StopWords...)
		}
		out = append(out, sr)
	}
	return out, nil
}
