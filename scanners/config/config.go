package config

import "github.com/picketsec/picket/scanners"

// DefaultPath is where a repository keeps its configuration.
const DefaultPath = ".github/picket.yml"

// Config is the validated repository configuration with defaults applied.
type Config struct {
	// FailOn is the severity at or above which a scan fails (exit code 1,
	// check conclusion "failure"). Default high.
	FailOn scanners.Severity
	// Exclude lists doublestar globs of paths never scanned.
	Exclude []string
	// Rules disables rules and overrides severities.
	Rules RulesConfig
	// MaxFileSize is the per-file size cap in bytes (default 2 MiB).
	MaxFileSize int64
	Secrets     SecretsConfig
	Build       BuildConfig
	SAST        SASTConfig
	Review      ReviewConfig
}

// RulesConfig disables rules and re-rates them.
type RulesConfig struct {
	Disable  []string                     // rule ids or globs ("secrets/generic-*")
	Severity map[string]scanners.Severity // rule id → severity
}

// SecretsConfig configures the secret scanner.
type SecretsConfig struct {
	// Rules are custom rules in Picket's own form.
	Rules []SecretRule
	// GitleaksConfig is a repository path to a gitleaks TOML file whose
	// [[rules]] are loaded as custom rules.
	GitleaksConfig string
}

// SecretRule is a user-defined secret rule (gitleaks' [[rules]] fields).
type SecretRule struct {
	ID          string
	Description string
	Regex       string
	Keywords    []string
	Entropy     float64 // minimum Shannon entropy of the secret; 0: none
	SecretGroup int     // capture group holding the secret; 0: the whole match
	Severity    scanners.Severity
	Allowlist   SecretAllowlist
}

// SecretAllowlist drops matches of a custom rule.
type SecretAllowlist struct {
	Regexes   []string // matched against the secret
	Paths     []string // regexes over the path (gitleaks semantics)
	StopWords []string // a secret containing one of these is ignored
}

// BuildConfig configures the build-script and CI-pipeline scanner.
type BuildConfig struct {
	// AllowedHosts are hosts (or "*.example.com" patterns) that build files
	// may contact without a new-host finding.
	AllowedHosts []string
	// TagOwners are GitHub owners whose actions may be referenced by tag
	// instead of a full commit SHA (default: actions, github).
	TagOwners []string
}

// SASTConfig configures the static-analysis scanner.
type SASTConfig struct {
	// Languages limits the languages analysed; empty means all.
	Languages []string
}

// ReviewConfig configures how the GitHub App publishes.
type ReviewConfig struct {
	// Event is the review event: "COMMENT" (default) or "REQUEST_CHANGES".
	Event string
	// Drafts makes draft pull requests be reviewed too (default false).
	Drafts bool
	// MaxComments caps inline comments per review (default and maximum 30).
	MaxComments int
}

// Default returns the configuration used when a repository has none.
func Default() *Config {
	return &Config{
		FailOn:      scanners.High,
		MaxFileSize: 2 << 20,
		Build:       BuildConfig{TagOwners: []string{"actions", "github"}},
		Review:      ReviewConfig{Event: "COMMENT", MaxComments: 30},
	}
}

// Policy returns the engine policy this configuration implies.
func (c *Config) Policy() scanners.Policy {
	return scanners.Policy{Exclude: c.Exclude, Disabled: c.Rules.Disable, Severity: c.Rules.Severity}
}
