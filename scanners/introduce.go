package scanners

import (
	"fmt"
	"sort"

	"github.com/picketsec/picket/diff"
)

// introduced returns the head findings that the base does not already
// have, decided by multiset difference on (rule, normalised match): if the
// head has h occurrences of a match and the base b, the change introduced
// h-b of them. Those touching added lines are preferred, then the last
// ones. Kept findings get occurrence indices b, b+1, … in position order,
// so a fingerprint survives line shifts, rebases and unrelated edits.
func introduced(f *diff.File, head, base []Finding) []Finding {
	baseCount := map[string]int{}
	for _, b := range base {
		baseCount[groupKey(b)]++
	}
	lineFilter := f.Partial && len(base) == 0 && f.HasBase()
	groups, order := groupFindings(head)
	var out []Finding
	for _, k := range order {
		g := groups[k]
		b := baseCount[k]
		if len(g) <= b {
			continue
		}
		keep := chooseNew(f, g, len(g)-b)
		idx := b
		for i, x := range g {
			if !keep[i] || lineFilter && !f.Added.Intersects(x.Range.StartLine, x.Range.EndLine) {
				continue
			}
			x.Fingerprint = fingerprint(x.Rule.ID, f.Path, x.Match, idx)
			x.Match = ""
			idx++
			out = append(out, x)
		}
	}
	return out
}

func groupKey(x Finding) string { return x.Rule.ID + "\x00" + x.Match }

// groupFindings groups findings by key, each group in position order, and
// returns the keys in order of first appearance.
func groupFindings(fs []Finding) (map[string][]Finding, []string) {
	sorted := append([]Finding(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool { return before(sorted[i].Range, sorted[j].Range) })
	groups := map[string][]Finding{}
	var order []string
	for _, x := range sorted {
		k := groupKey(x)
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], x)
	}
	return groups, order
}

func before(a, b Range) bool {
	if a.StartLine != b.StartLine {
		return a.StartLine < b.StartLine
	}
	return a.StartCol < b.StartCol
}

// chooseNew marks n members of g as new: first those touching added lines
// in order, then the last ones.
func chooseNew(f *diff.File, g []Finding, n int) []bool {
	keep := make([]bool, len(g))
	for i, x := range g {
		if n > 0 && f.Added.Intersects(x.Range.StartLine, x.Range.EndLine) {
			keep[i] = true
			n--
		}
	}
	for i := len(g) - 1; i >= 0 && n > 0; i-- {
		if !keep[i] {
			keep[i] = true
			n--
		}
	}
	return keep
}

// assignFingerprints fingerprints findings that need no set difference
// (cross-file findings), occurrence indices starting at first.
func assignFingerprints(path string, fs []Finding, first int) []Finding {
	groups, order := groupFindings(fs)
	var out []Finding
	for _, k := range order {
		for i, x := range groups[k] {
			x.Fingerprint = fingerprint(x.Rule.ID, path, x.Match, first+i)
			x.Match = ""
			out = append(out, x)
		}
	}
	return out
}

// placement classifies a finding against the diff.
func placement(f *diff.File, r Range) Placement {
	switch {
	case f == nil:
		return OutsideDiff
	case f.Added.Intersects(r.StartLine, r.EndLine):
		return InChangedLines
	}
	return InFile
}

// inline sets placements, applies inline suppressions and adds a notice
// for each suppression the change itself adds.
func (e *Engine) inline(f *diff.File, lines [][]byte, fs []Finding) ([]Finding, []SuppressedFinding) {
	var kept []Finding
	var suppressed []SuppressedFinding
	for _, x := range fs {
		x.Placement = placement(f, x.Range)
		d, ok := inlineSuppression(lines, &x)
		if !ok || e.policy.NoInline {
			kept = append(kept, x)
			continue
		}
		reason := d.reason
		if reason == "" {
			reason = d.tool
		}
		suppressed = append(suppressed, SuppressedFinding{Finding: x, By: "inline", Reason: reason})
		if f.Added.Contains(d.line) {
			kept = append(kept, suppressionNotice(f, d, x))
		}
	}
	return kept, suppressed
}

// suppressionNotice is the info finding for a suppression added by the change.
func suppressionNotice(f *diff.File, d directive, hidden Finding) Finding {
	reason := "No reason was given."
	if d.reason != "" {
		reason = fmt.Sprintf("Reason given: %q.", d.reason)
	}
	return Finding{
		Rule:        SuppressionRule,
		Path:        f.Path,
		Range:       Range{StartLine: d.line, EndLine: d.line},
		Message:     fmt.Sprintf("This change adds `%s`, which hides a %s finding: %s (%s). %s", d.tool, hidden.Rule.Severity, hidden.Rule.Title, hidden.Rule.ID, reason),
		Fingerprint: fingerprint(SuppressionRule.ID, f.Path, string(hidden.Fingerprint), 0),
		Placement:   InChangedLines,
	}
}

// applyPolicy applies disabled rules, severity overrides and accepted
// fingerprints to a file's findings and stores them in run.
func (e *Engine) applyPolicy(run *fileRun, fs []Finding, suppressed []SuppressedFinding) {
	run.suppressed = append(run.suppressed, suppressed...)
	for _, x := range fs {
		if e.policy.disabled(x.Rule.ID) {
			continue
		}
		x.Severity = x.Rule.Severity
		if s, ok := e.policy.Severity[x.Rule.ID]; ok {
			x.Severity = s
		}
		if entry, ok := e.policy.Accepted.Accepts(x.Fingerprint); ok {
			run.suppressed = append(run.suppressed, SuppressedFinding{Finding: x, By: "baseline", Reason: entry.Reason})
			continue
		}
		run.findings = append(run.findings, x)
	}
	run.result.Findings = len(run.findings)
}
