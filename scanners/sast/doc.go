// Package sast is Picket's static-analysis scanner: it parses each changed
// Go, Python, JavaScript, TypeScript and Java file with a real parser
// (go/parser for Go, tree-sitter for the others), lowers the syntax tree
// to a small language-neutral form (ir.go), runs an intra-procedural taint
// walk over every function (taint.go) and matches the rules (rule_*.go)
// against calls, assignments, key-value pairs and functions.
//
// Rules are data: each rule_<class>.go file declares one rule's metadata
// and its sinks per language; the engine never names a rule. Each rule has
// a fixture in testdata/rules/<class>.txtar, and testdata/sast at the
// repository root holds a labelled corpus measured by corpus_test.go.
//
// It imports diff, scanners and scanners/config only; it must not import
// app, GitHub clients or other scanners. The tree-sitter grammars need cgo.
package sast
