package report

import (
	"encoding/json"
	"io"

	"github.com/picketsec/picket/scanners"
)

// JSONVersion is the version of the JSON document's layout. It changes
// only when a field is removed or changes meaning; new fields may appear
// at any time.
const JSONVersion = 1

// jsonReport is the JSON document: a small envelope around the Report,
// whose fields are promoted to the top level.
type jsonReport struct {
	Version     int    `json:"version"`
	Tool        string `json:"tool"`
	ToolVersion string `json:"tool_version,omitempty"`
	*scanners.Report
}

// WriteJSON writes the report as one indented JSON document:
//
//	{"version": 1, "tool": "picket", "tool_version": "…",
//	 "base": "…", "head": "…",
//	 "findings": [{"rule": {…}, "severity", "path", "range", "message",
//	               "evidence": {"prefix", "length", "sha256_12"},
//	               "fix", "fingerprint", "placement"}],
//	 "suppressed": [{"finding": {…}, "by", "reason"}],
//	 "files": [{"path", "status", "outcome", "skip", "bytes", "findings"}],
//	 "scanners": [{"name", "version", "files", "findings", "errors"}],
//	 "stats": {"files", "scanned", "skipped", "reused", "bytes", "duration_ns"}}
//
// Evidence is redacted: a short prefix, the length and 12 hex digits of
// the value's SHA-256, never the value.
func WriteJSON(w io.Writer, rep *scanners.Report, opts Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonReport{Version: JSONVersion, Tool: "picket", ToolVersion: opts.ToolVersion, Report: rep})
}
