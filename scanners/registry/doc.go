// Package registry is the one explicit list of Picket's scanners and the
// one place where a repository configuration becomes a scanners.Engine:
// config → scanners (with their settings) → Policy (+ baseline) →
// NewEngine. Adding a scanner is one line in Scanners; a test fails when a
// package under scanners/ declares a Scanner the list lacks.
//
// It is its own package, not scanners/registry.go, because it imports the
// scanner packages, which import scanners. It must not import app, GitHub
// clients or River.
package registry
