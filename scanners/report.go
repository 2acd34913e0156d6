package scanners

import (
	"time"

	"github.com/picketsec/picket/diff"
)

// Outcome says what happened to one changed file.
type Outcome string

// The outcomes.
const (
	Scanned Outcome = "scanned"
	Skipped Outcome = "skipped"
	Reused  Outcome = "reused" // every wanting scanner's result came from the cache
)

// FileResult is the outcome of one changed file.
type FileResult struct {
	Path     string           `json:"path"`
	Status   diff.Status      `json:"status"`
	Outcome  Outcome          `json:"outcome"`
	Skip     *diff.SkipReason `json:"skip,omitempty"`
	Bytes    int64            `json:"bytes"`
	Findings int              `json:"findings"`
}

// FileError is a scanner failure on one file; other files are unaffected.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// ScannerStatus summarises one scanner's run.
type ScannerStatus struct {
	Name     string      `json:"name"`
	Version  int         `json:"version"`
	Files    int         `json:"files"`
	Findings int         `json:"findings"`
	Errors   []FileError `json:"errors,omitempty"`
}

// SuppressedFinding is a finding that a suppression hid, with the reason.
type SuppressedFinding struct {
	Finding Finding `json:"finding"`
	By      string  `json:"by"` // "inline", "baseline", "ignore"
	Reason  string  `json:"reason,omitempty"`
}

// Stats are the run's totals.
type Stats struct {
	Files    int           `json:"files"`
	Scanned  int           `json:"scanned"`
	Skipped  int           `json:"skipped"`
	Reused   int           `json:"reused"`
	Bytes    int64         `json:"bytes"`
	Duration time.Duration `json:"duration_ns"`
}

// Report is everything one engine run found. Partial failures are data:
// per-file skips and scanner errors are listed, not returned as errors.
type Report struct {
	Base       string              `json:"base,omitempty"`
	Head       string              `json:"head,omitempty"`
	Findings   []Finding           `json:"findings"`
	Suppressed []SuppressedFinding `json:"suppressed,omitempty"`
	Files      []FileResult        `json:"files"`
	Scanners   []ScannerStatus     `json:"scanners"`
	Stats      Stats               `json:"stats"`
}

// CountAtOrAbove returns how many findings are at or above sev.
func (r *Report) CountAtOrAbove(sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= sev {
			n++
		}
	}
	return n
}

// BySeverity counts findings per severity.
func (r *Report) BySeverity() map[Severity]int {
	m := map[Severity]int{}
	for _, f := range r.Findings {
		m[f.Severity]++
	}
	return m
}

// Errors returns every scanner error of the run.
func (r *Report) Errors() []FileError {
	var out []FileError
	for _, s := range r.Scanners {
		out = append(out, s.Errors...)
	}
	return out
}
