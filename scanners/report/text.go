package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

// ANSI escapes used by the text writer.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
	ansiMagent = "\x1b[35m"
)

var severityColor = map[scanners.Severity]string{
	scanners.Critical: ansiBold + ansiMagent,
	scanners.High:     ansiRed,
	scanners.Medium:   ansiYellow,
	scanners.Low:      ansiBlue,
	scanners.Info:     ansiDim,
}

// textWriter writes through a bufio.Writer, which keeps the first write
// error for Flush to return, so the layout code stays flat.
type textWriter struct {
	w     *bufio.Writer
	color bool
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(t.w, format, args...) }

// paint wraps s in an ANSI style when colour is on.
func (t *textWriter) paint(style, s string) string {
	if !t.color || style == "" {
		return s
	}
	return style + s + ansiReset
}

// WriteText writes findings grouped by file, then skipped files, scanner
// errors and a summary line.
//
//	config/prod.env
//	  3:8-47  critical  secrets/aws-access-key  AWS access key id: AKIA… (20 chars)
//	          fingerprint 5f2c9a0b1e · Rotate the key in IAM, then remove it.
func WriteText(w io.Writer, rep *scanners.Report, opts Options) error {
	t := &textWriter{w: bufio.NewWriter(w), color: opts.Color}
	for i, group := range groupByPath(rep.Findings) {
		if i > 0 {
			t.printf("\n")
		}
		t.printf("%s\n", t.paint(ansiBold, group[0].Path))
		posW, ruleW := 0, 0
		for _, f := range group {
			posW = max(posW, len(position(f.Range)))
			ruleW = max(ruleW, len(f.Rule.ID))
		}
		for _, f := range group {
			writeTextFinding(t, f, posW, ruleW)
		}
	}
	if len(rep.Findings) > 0 {
		t.printf("\n")
	}
	writeTextSkips(t, rep)
	writeTextErrors(t, rep)
	writeTextSummary(t, rep)
	return t.w.Flush()
}

func writeTextFinding(t *textWriter, f scanners.Finding, posW, ruleW int) {
	sev := fmt.Sprintf("%-8s", f.Severity)
	rule := fmt.Sprintf("%-*s", ruleW, f.Rule.ID)
	t.printf("  %-*s  %s  %s  %s", posW, position(f.Range), t.paint(severityColor[f.Severity], sev), t.paint(ansiCyan, rule), oneLine(f.Message))
	if !f.Evidence.IsZero() && !strings.Contains(f.Message, f.Evidence.String()) {
		t.printf(": %s", f.Evidence)
	}
	t.printf("\n")
	extra := "fingerprint " + f.Fingerprint.Short()
	if f.Placement != scanners.InChangedLines {
		extra += " · " + f.Placement.String()
	}
	t.printf("  %-*s  %s\n", posW, "", t.paint(ansiDim, extra))
}

// groupByPath splits findings (sorted by path) into runs of one path.
func groupByPath(fs []scanners.Finding) [][]scanners.Finding {
	var out [][]scanners.Finding
	for i, f := range fs {
		if i == 0 || f.Path != fs[i-1].Path {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], f)
	}
	return out
}

// position renders "12", "12:5", "12-14" or "12:5-14:9".
func position(r scanners.Range) string {
	if r.StartLine == 0 {
		return "-"
	}
	s := fmt.Sprint(r.StartLine)
	if r.StartCol > 0 {
		s += fmt.Sprintf(":%d", r.StartCol)
	}
	if r.EndLine > r.StartLine {
		s += fmt.Sprintf("-%d", r.EndLine)
		if r.EndCol > 0 {
			s += fmt.Sprintf(":%d", r.EndCol)
		}
	}
	return s
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeTextSkips(t *textWriter, rep *scanners.Report) {
	var skipped []scanners.FileResult
	for _, f := range rep.Files {
		if worthListing(f) {
			skipped = append(skipped, f)
		}
	}
	if len(skipped) == 0 {
		return
	}
	t.printf("%s\n", t.paint(ansiBold, "Skipped"))
	for _, f := range skipped {
		t.printf("  %s  %s\n", f.Path, t.paint(ansiDim, f.Skip.String()))
	}
	t.printf("\n")
}

func writeTextErrors(t *textWriter, rep *scanners.Report) {
	for _, s := range rep.Scanners {
		for _, e := range s.Errors {
			t.printf("%s %s: %s: %s\n", t.paint(ansiRed, "error"), s.Name, e.Path, oneLine(e.Error))
		}
	}
}

func writeTextSummary(t *textWriter, rep *scanners.Report) {
	st := rep.Stats
	if len(rep.Findings) == 0 {
		t.printf("No findings.")
	} else {
		files := map[string]bool{}
		for _, f := range rep.Findings {
			files[f.Path] = true
		}
		t.printf("%s in %s (%s).", plural(len(rep.Findings), "finding"), plural(len(files), "file"), severityCounts(rep))
	}
	t.printf(" %s changed: %d scanned, %d skipped", plural(st.Files, "file"), st.Scanned, st.Skipped)
	if n := countSkips(rep, diff.SkipExcluded); n > 0 {
		t.printf(" (%d excluded)", n)
	}
	if st.Reused > 0 {
		t.printf(", %d reused", st.Reused)
	}
	if n := len(rep.Suppressed); n > 0 {
		t.printf("; %d suppressed", n)
	}
	t.printf("; %s in %s.\n", diff.HumanBytes(st.Bytes), st.Duration.Round(time.Millisecond))
}

// worthListing reports whether a skipped file deserves its own line:
// deleted files, pure renames and paths the configuration excludes do not
// (the summary counts them).
func worthListing(f scanners.FileResult) bool {
	if f.Outcome != scanners.Skipped || f.Skip == nil {
		return false
	}
	switch f.Skip.Code {
	case diff.SkipDeleted, diff.SkipUnchanged, diff.SkipExcluded:
		return false
	}
	return true
}

// severityCounts renders "1 critical, 2 high", most severe first.
func severityCounts(rep *scanners.Report) string {
	by := rep.BySeverity()
	var parts []string
	for s := scanners.Critical; s >= scanners.Info; s-- {
		if n := by[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

func countSkips(rep *scanners.Report, code diff.SkipCode) int {
	n := 0
	for _, f := range rep.Files {
		if f.Skip != nil && f.Skip.Code == code {
			n++
		}
	}
	return n
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
