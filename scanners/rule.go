package scanners

import (
	"fmt"
	"strings"
)

// Severity ranks how bad a finding is.
type Severity int

// Severities from least to most severe.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lower-case name.
func (s Severity) String() string {
	if s >= Info && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", s, strings.Join(severityNames[:], ", "))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SecurityScore is the CVSS-like score GitHub code scanning reads from
// SARIF's "security-severity" property: >9 critical, 7–8.9 high, 4–6.9
// medium, 0.1–3.9 low.
func (s Severity) SecurityScore() string {
	return [...]string{"0.0", "2.0", "5.5", "8.0", "9.5"}[s]
}

// Kind groups rules by the scanner family that produces them.
type Kind string

// The rule kinds.
const (
	KindSecret     Kind = "secret"
	KindSAST       Kind = "sast"
	KindBuild      Kind = "build"
	KindIaC        Kind = "iac"
	KindDependency Kind = "dependency"
	KindMeta       Kind = "meta" // Picket's own notices, such as an added suppression
)

// Rule is the metadata of one detection. Rules are values; docs/rules.md is
// generated from them.
type Rule struct {
	ID       string   `json:"id"` // stable, "<scanner>/<name>", e.g. "secrets/github-pat"
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Why      string   `json:"why"`           // why it matters
	Fix      string   `json:"fix"`           // how to fix
	CWE      []string `json:"cwe,omitempty"` // "CWE-798"
	Refs     []string `json:"refs,omitempty"`
	Example  string   `json:"example,omitempty"` // a short example that triggers the rule
}

// Validate checks that the metadata a finding needs is present.
func (r Rule) Validate() error {
	switch {
	case r.ID == "" || !strings.Contains(r.ID, "/"):
		return fmt.Errorf("rule %q: id must be <scanner>/<name>", r.ID)
	case r.Kind == "":
		return fmt.Errorf("rule %s: no kind", r.ID)
	case r.Title == "" || r.Why == "" || r.Fix == "":
		return fmt.Errorf("rule %s: title, why and fix are required", r.ID)
	}
	return nil
}
