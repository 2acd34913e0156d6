package build

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/picketsec/picket/scanners"
)

// analysis is the state of one Scan: one version of one file.
type analysis struct {
	ctx   context.Context
	s     *Scanner
	in    scanners.Input
	kind  kind
	lines []string // the file's lines, without terminators

	findings []scanners.Finding
	seen     map[string]bool // rule+match+line, to drop exact duplicates

	parser *syntax.Parser // reused for every snippet of the file
	cmds   []*command     // every shell command, in file order
	hosts  map[string]*hostUse
	order  []string // hosts in order of first use
}

// hostUse records the first place a file contacts a host, and whether any
// use of it executes fetched code or carries secrets.
type hostUse struct {
	line      int
	via       string // the command or field that contacts it
	sensitive string // "" or why the use is sensitive
}

func newAnalysis(ctx context.Context, s *Scanner, in scanners.Input, k kind) *analysis {
	text := strings.ReplaceAll(string(in.Content), "\r\n", "\n")
	return &analysis{
		ctx: ctx, s: s, in: in, kind: k,
		lines: strings.Split(text, "\n"),
		seen:  map[string]bool{},
		hosts: map[string]*hostUse{},
	}
}

// text is the whole file as a string.
func (a *analysis) text() string { return strings.Join(a.lines, "\n") }

// run dispatches on the file kind, then runs the checks that need every
// command of the file (download-then-run) and reports hosts.
func (a *analysis) run() {
	switch a.kind {
	case kindMake:
		a.makefile()
	case kindDocker:
		a.dockerfile()
	case kindShell:
		a.shellFile()
	case kindPowerShell:
		a.powershell()
	case kindNPM:
		a.packageJSON()
	case kindWorkflow, kindAction:
		a.workflow()
	case kindGitLab, kindCircle, kindAzure, kindBitbucket, kindTaskfile:
		a.ciYAML()
	case kindPreCommit:
		a.preCommit()
	case kindNpmrc, kindYarnrc, kindYarnrcYml:
		a.npmrc()
	case kindPipConf:
		a.pipConf()
	case kindRequirements:
		a.requirements()
	case kindGoMod:
		a.goMod()
	case kindGitmodules:
		a.gitmodules()
	case kindGradle, kindPom:
		a.jvm()
	case kindSetupPy, kindPyproject, kindBuildRS, kindJenkins, kindJust, kindGo:
		a.code()
	}
	if a.kind.isPipeline() {
		a.pipelineFile()
	}
	a.sequences()
	a.reportHosts()
}

// result returns the findings in a stable order.
func (a *analysis) result() []scanners.Finding {
	sort.SliceStable(a.findings, func(i, j int) bool {
		x, y := a.findings[i], a.findings[j]
		if x.Range.StartLine != y.Range.StartLine {
			return x.Range.StartLine < y.Range.StartLine
		}
		if x.Rule.ID != y.Rule.ID {
			return x.Rule.ID < y.Rule.ID
		}
		return x.Match < y.Match
	})
	return a.findings
}

// add records a finding on one line. match must not depend on the line.
func (a *analysis) add(r scanners.Rule, line int, match, format string, args ...any) *scanners.Finding {
	if line < 1 {
		line = 1
	}
	if line > len(a.lines) {
		line = len(a.lines)
	}
	match = scanners.NormalizeMatch(match)
	key := fmt.Sprintf("%s\x00%s\x00%d", r.ID, match, line)
	if a.seen[key] {
		return nil
	}
	a.seen[key] = true
	a.findings = append(a.findings, scanners.Finding{
		Rule:    r,
		Range:   scanners.Range{StartLine: line, EndLine: line},
		Message: mask(fmt.Sprintf(format, args...)),
		Match:   match,
	})
	return &a.findings[len(a.findings)-1]
}

// lineOf returns the 1-based line of byte offset off in the file.
func (a *analysis) lineOf(off int) int {
	n := 1
	for _, l := range a.lines {
		if off <= len(l) {
			return n
		}
		off -= len(l) + 1
		n++
	}
	return len(a.lines)
}

// isNewFile reports whether this version is the head of an added file.
func (a *analysis) isNewFile() bool {
	return a.in.File != nil && !a.in.File.HasBase()
}
