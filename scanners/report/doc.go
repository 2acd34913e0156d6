// Package report writes a scanners.Report for people and machines: text
// grouped by file (colour only on a terminal, NO_COLOR honoured), JSON (the
// Report itself under a versioned envelope with stable field names) and
// SARIF 2.1.0 built with github.com/owenrumney/go-sarif, as GitHub code
// scanning reads it.
//
// Secrets reach this package only as scanners.Redacted values, so no
// writer can print one whole.
//
// It imports scanners and diff; it must not import app, GitHub clients or
// River.
package report
