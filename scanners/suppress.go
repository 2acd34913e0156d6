package scanners

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Policy is the engine's share of the configuration: what to skip, what to
// disable, what to re-rate and what has been accepted.
type Policy struct {
	Exclude  []string            // doublestar globs over head paths
	Disabled []string            // rule ids or path.Match patterns ("secrets/generic-*")
	Severity map[string]Severity // per-rule severity overrides, by rule id
	Accepted *Baseline           // accepted fingerprints (baseline file, /picket ignore)
	// NoInline disables inline picket:ignore / gitleaks:allow comments.
	NoInline bool
}

func (p *Policy) disabled(ruleID string) bool {
	for _, d := range p.Disabled {
		if d == ruleID {
			return true
		}
		if ok, err := path.Match(d, ruleID); err == nil && ok {
			return true
		}
	}
	return false
}

// directive is an inline suppression comment found in a file.
type directive struct {
	line   int
	rule   string // empty: any rule
	reason string
	tool   string // "picket:ignore" or "gitleaks:allow"
}

var directiveMarkers = [...]string{"picket:ignore", "gitleaks:allow"}

// findDirective looks for an inline suppression on line n (1-based) of
// content. Any comment syntax works because only the marker is searched.
func findDirective(lines [][]byte, n int) (directive, bool) {
	if n < 1 || n > len(lines) {
		return directive{}, false
	}
	l := lines[n-1]
	for _, m := range directiveMarkers {
		i := bytes.Index(l, []byte(m))
		if i < 0 {
			continue
		}
		d := directive{line: n, tool: m}
		if m == "picket:ignore" {
			d.rule, d.reason = parseDirectiveArgs(string(l[i+len(m):]))
		}
		return d, true
	}
	return directive{}, false
}

// parseDirectiveArgs splits " secrets/aws-key test fixture -->" into the
// rule id and the reason, dropping trailing comment closers.
func parseDirectiveArgs(s string) (rule, reason string) {
	s = strings.TrimSpace(s)
	for _, closer := range []string{"-->", "*/", "#}", "%>"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, closer))
	}
	first, rest, _ := strings.Cut(s, " ")
	if strings.Contains(first, "/") {
		return first, strings.TrimSpace(rest)
	}
	return "", s
}

// covers reports whether the directive applies to a rule.
func (d directive) covers(ruleID string) bool {
	if d.rule == "" {
		return true
	}
	if d.rule == ruleID {
		return true
	}
	ok, err := path.Match(d.rule, ruleID)
	return err == nil && ok
}

// inlineSuppression returns the directive that suppresses f, looking at
// the finding's first line, the line above it and its last line.
func inlineSuppression(lines [][]byte, f *Finding) (directive, bool) {
	for _, n := range []int{f.Range.StartLine, f.Range.StartLine - 1, f.Range.EndLine} {
		if d, ok := findDirective(lines, n); ok && d.covers(f.Rule.ID) {
			return d, true
		}
	}
	return directive{}, false
}

// splitLines splits content into lines without their terminators.
func splitLines(content []byte) [][]byte {
	lines := bytes.Split(content, []byte("\n"))
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	return lines
}

// SuppressionRule is the info-level notice Picket reports when the change
// itself adds an inline suppression that hides a finding.
var SuppressionRule = Rule{
	ID:       "picket/suppression-added",
	Kind:     KindMeta,
	Severity: Info,
	Title:    "Suppression added by this change",
	Why:      "An inline picket:ignore or gitleaks:allow added in the same change hides a finding from this review; a reviewer should agree with it.",
	Fix:      "Confirm the suppressed finding is a false positive or an accepted risk, and give the reason after the rule id: `picket:ignore <rule-id> <reason>`.",
}

// Baseline is a set of accepted fingerprints with the reason for each.
type Baseline struct {
	Version int             `json:"version"`
	Entries []BaselineEntry `json:"findings"`
	byFP    map[string]int
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint Fingerprint `json:"fingerprint"`
	Rule        string      `json:"rule,omitempty"`
	Path        string      `json:"path,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	By          string      `json:"by,omitempty"`
}

// minPrefix is the shortest fingerprint prefix a user may accept by.
const minPrefix = 8

// NewBaseline builds a baseline from the findings of a report.
func NewBaseline(findings []Finding, reason string) *Baseline {
	b := &Baseline{Version: 1}
	for _, f := range findings {
		b.Add(BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule.ID, Path: f.Path, Reason: reason})
	}
	return b
}

// Add accepts one more fingerprint (or fingerprint prefix of at least 8 hex digits).
func (b *Baseline) Add(e BaselineEntry) {
	b.Entries = append(b.Entries, e)
	b.byFP = nil
}

// Accepts returns the entry that accepts fp, by full fingerprint or prefix.
func (b *Baseline) Accepts(fp Fingerprint) (BaselineEntry, bool) {
	if b == nil {
		return BaselineEntry{}, false
	}
	if b.byFP == nil {
		b.byFP = make(map[string]int, len(b.Entries))
		for i, e := range b.Entries {
			b.byFP[string(e.Fingerprint)] = i
		}
	}
	if i, ok := b.byFP[string(fp)]; ok {
		return b.Entries[i], true
	}
	for _, e := range b.Entries {
		if len(e.Fingerprint) >= minPrefix && len(e.Fingerprint) < len(fp) && strings.HasPrefix(string(fp), string(e.Fingerprint)) {
			return e, true
		}
	}
	return BaselineEntry{}, false
}

// ReadBaseline parses a baseline file.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("read baseline: unsupported version %d (want 1)", b.Version)
	}
	for i, e := range b.Entries {
		if len(e.Fingerprint) < minPrefix {
			return nil, fmt.Errorf("read baseline: entry %d: fingerprint %q is shorter than %d hex digits", i, e.Fingerprint, minPrefix)
		}
	}
	return &b, nil
}

// Write writes the baseline as indented JSON, sorted for stable diffs.
func (b *Baseline) Write(w io.Writer) error {
	sort.Slice(b.Entries, func(i, j int) bool { return b.Entries[i].Fingerprint < b.Entries[j].Fingerprint })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}
