package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"

	"github.com/picketsec/picket/scanners/registry"
	"github.com/picketsec/picket/scanners/report"
)

// runRules lists every rule of every registered scanner.
func runRules(_ context.Context, args []string, s streams) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	format := fs.String("format", "table", "output format: table, json or markdown (markdown is docs/rules.md)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: picket rules [--format table|json|markdown]\n\nLists every rule: id, kind, severity and title (markdown adds why, fix, CWE and an example).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	f, err := report.ParseRulesFormat(*format)
	if err != nil {
		return fail(s, fmt.Errorf("--format: %w", err))
	}
	rules, err := registry.Rules()
	if err != nil {
		return fail(s, err)
	}
	w := bufio.NewWriter(s.stdout)
	if err := report.WriteRules(w, f, rules); err != nil {
		return fail(s, err)
	}
	if err := w.Flush(); err != nil {
		return fail(s, fmt.Errorf("write rules: %w", err))
	}
	return exitOK
}
