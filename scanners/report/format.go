package report

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/picketsec/picket/scanners"
)

// Format is an output format of `picket scan`.
type Format string

// The formats.
const (
	Text  Format = "text"
	JSON  Format = "json"
	SARIF Format = "sarif"
)

// Formats lists every format, for flag help.
var Formats = []Format{Text, JSON, SARIF}

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want text, json or sarif)", s)
}

// Options are the settings every writer shares.
type Options struct {
	// Color turns on ANSI colours in text output. Use Colorable to decide.
	Color bool
	// ToolVersion is Picket's version, written to JSON and SARIF.
	ToolVersion string
	// Rules are the rules the run could report, listed in SARIF's
	// tool.driver.rules. Rules of findings are added when missing.
	Rules []scanners.Rule
}

// Write renders rep in format f.
func Write(w io.Writer, f Format, rep *scanners.Report, opts Options) error {
	switch f {
	case Text:
		return WriteText(w, rep, opts)
	case JSON:
		return WriteJSON(w, rep, opts)
	case SARIF:
		return WriteSARIF(w, rep, opts)
	}
	return fmt.Errorf("write report: unknown format %q", f)
}

// Colorable reports whether text written to w should be coloured: w is a
// terminal and NO_COLOR (https://no-color.org) is not set. getenv is
// os.Getenv in production.
func Colorable(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
