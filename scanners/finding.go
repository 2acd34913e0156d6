package scanners

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// Range locates a finding in the head version of a file. Lines and columns
// are 1-based; a zero column means "the whole line".
type Range struct {
	StartLine int `json:"start_line"`
	StartCol  int `json:"start_col,omitempty"`
	EndLine   int `json:"end_line"`
	EndCol    int `json:"end_col,omitempty"`
}

// Placement says where a finding sits relative to the diff; the engine
// computes it. Findings are never dropped for their placement: the
// publisher turns each placement into an inline comment, a file-level
// comment or an annotation.
type Placement int

// The placements.
const (
	InChangedLines Placement = iota // touches added lines and can anchor an inline comment
	InFile                          // in a changed file, but not anchorable to the diff
	OutsideDiff                     // in a file the change does not touch
)

// String returns the placement name.
func (p Placement) String() string {
	return [...]string{"changed-lines", "file", "outside-diff"}[p]
}

// MarshalText implements encoding.TextMarshaler.
func (p Placement) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, reading what
// MarshalText writes, so a Finding read back from JSON (the result cache
// in app/store) keeps its placement.
func (p *Placement) UnmarshalText(b []byte) error {
	for _, q := range []Placement{InChangedLines, InFile, OutsideDiff} {
		if string(b) == q.String() {
			*p = q
			return nil
		}
	}
	return fmt.Errorf("unknown placement %q", b)
}

// Fix is a mechanical fix: replace head lines StartLine..EndLine with
// Replacement (which may span several lines, or be empty to delete them).
type Fix struct {
	Description string `json:"description"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	Replacement string `json:"replacement"`
}

// Fingerprint identifies a finding across pushes, rebases and line shifts:
// a hex SHA-256 of rule id, path, normalised match and occurrence index.
type Fingerprint string

// Short returns the first 10 hex digits, the id users type in
// "/picket ignore <id>".
func (f Fingerprint) Short() string {
	if len(f) > 10 {
		return string(f[:10])
	}
	return string(f)
}

// Finding is one problem a scanner reports.
type Finding struct {
	Rule     Rule     `json:"rule"`
	Severity Severity `json:"severity"` // the rule's, unless config overrides it
	Path     string   `json:"path"`
	Range    Range    `json:"range"`
	Message  string   `json:"message"`
	Evidence Redacted `json:"evidence,omitzero"`
	Fix      *Fix     `json:"fix,omitempty"`

	// Match is the normalised matched text the fingerprint is built from.
	// Scanners set it; for secrets it must already be a hash. The engine
	// clears it after fingerprinting, so it never reaches any output.
	Match string `json:"-"`

	Fingerprint Fingerprint `json:"fingerprint"`
	Placement   Placement   `json:"placement"`
}

// fingerprint computes the stable id of a finding.
func fingerprint(ruleID, path, match string, occurrence int) Fingerprint {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d", ruleID, path, match, occurrence)
	return Fingerprint(hex.EncodeToString(h.Sum(nil)))
}

// NormalizeMatch folds white space so that re-indentation or re-wrapping
// does not change a fingerprint.
func NormalizeMatch(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Redacted is the only form in which a secret leaves a scanner: a short
// prefix, the length and a truncated hash. Every way of printing it shows
// only those.
type Redacted struct {
	prefix string
	length int
	hash   string
}

// Redact keeps a prefix of at most 4 characters (less for short values, so
// that at least three quarters of the value is always hidden), the length
// and 12 hex digits of its SHA-256.
func Redact(secret string) Redacted {
	r := []rune(secret)
	n := min(4, len(r)/4)
	sum := sha256.Sum256([]byte(secret))
	return Redacted{prefix: string(r[:n]), length: len(r), hash: hex.EncodeToString(sum[:6])}
}

// IsZero reports whether nothing was redacted.
func (r Redacted) IsZero() bool { return r.length == 0 }

// Length is the length of the hidden value in characters.
func (r Redacted) Length() int { return r.length }

// Prefix is the visible prefix.
func (r Redacted) Prefix() string { return r.prefix }

// Hash is 12 hex digits of the hidden value's SHA-256, enough to tell two
// values apart in a report.
func (r Redacted) Hash() string { return r.hash }

// String renders "ghp_… (40 chars)".
func (r Redacted) String() string {
	if r.length == 0 {
		return ""
	}
	return fmt.Sprintf("%s… (%d chars)", r.prefix, r.length)
}

// GoString makes %#v print the redacted form too.
func (r Redacted) GoString() string { return "scanners.Redacted(" + r.String() + ")" }

// LogValue makes slog print the redacted form.
func (r Redacted) LogValue() slog.Value { return slog.StringValue(r.String()) }

type redactedJSON struct {
	Prefix string `json:"prefix"`
	Length int    `json:"length"`
	Hash   string `json:"sha256_12"`
}

// MarshalJSON writes prefix, length and hash only.
func (r Redacted) MarshalJSON() ([]byte, error) {
	return json.Marshal(redactedJSON{r.prefix, r.length, r.hash})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (r *Redacted) UnmarshalJSON(b []byte) error {
	var v redactedJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Redacted{prefix: v.Prefix, length: v.Length, hash: v.Hash}
	return nil
}
