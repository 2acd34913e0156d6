package githubtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The fake's own patch parser, written independently of the app's diff
// package on purpose: a shared parser would share its bugs, and the fake
// is the oracle the app's anchors are checked against.

// hunk is one @@ section of a file's patch.
type hunk struct {
	header string
	lines  []patchLine
}

// patchLine is one line of a hunk body.
type patchLine struct {
	kind     byte // '+', '-' or ' '
	old, new int  // line numbers on each side; 0 where the line has none
	pos      int  // GitHub's deprecated "position": lines below the first @@
	text     string
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)

// parsePatch parses the patch of one file as pulls/list-files returns it
// (hunks only, no ---/+++ header).
func parsePatch(patch string) ([]hunk, error) {
	var hunks []hunk
	var oldN, newN, pos int
	for i, l := range strings.Split(strings.TrimSuffix(patch, "\n"), "\n") {
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			oldN, _ = strconv.Atoi(m[1]) // the regexp matched digits
			newN, _ = strconv.Atoi(m[3])
			if len(hunks) > 0 {
				pos++ // later hunk headers count as positions
			}
			hunks = append(hunks, hunk{header: l})
			continue
		}
		if len(hunks) == 0 {
			return nil, fmt.Errorf("parse patch: line %d before the first hunk header", i+1)
		}
		if strings.HasPrefix(l, `\`) { // "\ No newline at end of file"
			continue
		}
		pos++
		h := &hunks[len(hunks)-1]
		pl := patchLine{pos: pos}
		if l == "" {
			l = " " // some producers strip the space of empty context lines
		}
		pl.kind, pl.text = l[0], l[1:]
		switch pl.kind {
		case '+':
			pl.new = newN
			newN++
		case '-':
			pl.old = oldN
			oldN++
		case ' ':
			pl.old, pl.new = oldN, newN
			oldN++
			newN++
		default:
			return nil, fmt.Errorf("parse patch: line %d: unexpected prefix %q", i+1, l[:1])
		}
		h.lines = append(h.lines, pl)
	}
	return hunks, nil
}

// anchor is where a review comment wants to sit.
type anchor struct {
	line, startLine int
	side, startSide string
	position        int
}

// find returns the hunk index and line of a (line, side) pair, or -1.
func find(hunks []hunk, line int, side string) (int, *patchLine) {
	for hi := range hunks {
		for li := range hunks[hi].lines {
			pl := &hunks[hi].lines[li]
			switch {
			case side == "RIGHT" && pl.kind != '-' && pl.new == line:
				return hi, pl
			case side == "LEFT" && pl.kind != '+' && pl.old == line:
				return hi, pl
			}
		}
	}
	return -1, nil
}

// checkAnchor validates a line comment's anchor against a file's hunks:
// RIGHT may target added or context lines of the new file, LEFT deleted or
// context lines of the old file, and a start_line range must lie within
// one hunk and precede line. It returns the diff_hunk text GitHub would
// show for the comment.
func checkAnchor(hunks []hunk, a anchor) (string, error) {
	if a.line == 0 && a.position > 0 {
		for hi := range hunks {
			for li := range hunks[hi].lines {
				if hunks[hi].lines[li].pos == a.position {
					return diffHunk(hunks[hi], li), nil
				}
			}
		}
		return "", fmt.Errorf("position %d is not part of the diff", a.position)
	}
	if a.line <= 0 {
		return "", fmt.Errorf("line must be positive, got %d", a.line)
	}
	side := a.side
	if side == "" {
		side = "RIGHT"
	}
	hi, pl := find(hunks, a.line, side)
	if pl == nil {
		return "", fmt.Errorf("line %d (%s) must be part of the diff", a.line, side)
	}
	if a.startLine != 0 {
		ss := a.startSide
		if ss == "" {
			ss = side
		}
		shi, spl := find(hunks, a.startLine, ss)
		switch {
		case spl == nil:
			return "", fmt.Errorf("start_line %d (%s) must be part of the diff", a.startLine, ss)
		case shi != hi:
			return "", fmt.Errorf("start_line %d and line %d must be part of the same hunk", a.startLine, a.line)
		case spl.pos >= pl.pos:
			return "", fmt.Errorf("start_line %d must precede the end line %d", a.startLine, a.line)
		}
	}
	for li := range hunks[hi].lines {
		if &hunks[hi].lines[li] == pl {
			return diffHunk(hunks[hi], li), nil
		}
	}
	return "", fmt.Errorf("line %d not found", a.line)
}

// diffHunk is the hunk header and body up to and including line li.
func diffHunk(h hunk, li int) string {
	var b strings.Builder
	b.WriteString(h.header)
	for _, pl := range h.lines[:li+1] {
		b.WriteByte('\n')
		b.WriteByte(pl.kind)
		b.WriteString(pl.text)
	}
	return b.String()
}

// patchStats counts added and deleted lines of a patch.
func patchStats(patch string) (add, del int) {
	for _, l := range strings.Split(patch, "\n") {
		switch {
		case strings.HasPrefix(l, "@@"):
		case strings.HasPrefix(l, "+"):
			add++
		case strings.HasPrefix(l, "-"):
			del++
		}
	}
	return add, del
}
