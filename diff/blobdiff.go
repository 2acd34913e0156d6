package diff

import (
	"strings"
	"time"

	gitdiff "github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is the number of unchanged lines git shows around a change.
const contextLines = 3

// diffTimeout bounds the Myers search for one file. Myers is O(N·D): two
// unrelated 2 MiB versions would take minutes. Past the bound go-diff
// stops refining and reports the rest as replaced, which is still a
// correct diff whose added lines are a superset of the minimal ones, so
// nothing introduced is missed; only hunks get coarser.
const diffTimeout = 2 * time.Second

// DiffBlobs computes the unified-diff hunks between two versions of a
// file, with git's defaults: three lines of context, changes closer than
// twice that merged into one hunk, deletions before additions, and the
// section heading git's default funcname rule picks. It returns the hunks
// and the set of head lines added. A pathological pair (large and mostly
// unrelated) gets coarser hunks after a bounded search (see diffTimeout). It is used when GitHub omits a large
// file's patch and for local repositories; callers skip binary content.
func DiffBlobs(base, head []byte) ([]Hunk, LineSet) {
	ops := lineOps(string(base), string(head))
	var (
		hunks []Hunk
		added LineSet
	)
	oldLines := splitKeep(string(base))
	for i := 0; i < len(ops); {
		if ops[i].kind == Context {
			i++
			continue
		}
		// ops[i] starts a change: take context before it, then extend while
		// the next change is within 2*contextLines unchanged lines.
		start := max(0, i-contextLines)
		end := i
		for {
			for end < len(ops) && ops[end].kind != Context {
				end++
			}
			gap := end
			for gap < len(ops) && ops[gap].kind == Context {
				gap++
			}
			if gap < len(ops) && gap-end <= 2*contextLines {
				end = gap
				continue
			}
			end = min(end+contextLines, gap)
			break
		}
		h := makeHunk(ops[start:end])
		h.Section = funcName(oldLines, ops[start].oldAt-1)
		addHunkLines(&added, h)
		hunks = append(hunks, h)
		i = end
	}
	return hunks, added
}

// lineOp is one line of the edit script. oldAt and newAt are the 1-based
// numbers of the next line on each side when the op occurs: the line's own
// number on the sides it exists on.
type lineOp struct {
	kind         LineKind
	oldAt, newAt int
	text         string
}

func (op lineOp) old() int {
	if op.kind == Add {
		return 0
	}
	return op.oldAt
}

func (op lineOp) new() int {
	if op.kind == Delete {
		return 0
	}
	return op.newAt
}

// lineOps runs go-git's Myers line diff and numbers its lines, putting
// each run of deletions before the additions next to it, as git prints.
func lineOps(base, head string) []lineOp {
	var ops, dels, adds []lineOp
	oldN, newN := 1, 1
	flush := func() {
		ops = append(ops, dels...)
		ops = append(ops, adds...)
		dels, adds = dels[:0], adds[:0]
	}
	for _, d := range gitdiff.DoWithTimeout(base, head, diffTimeout) {
		for _, l := range splitKeep(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				flush()
				ops = append(ops, lineOp{Context, oldN, newN, l})
				oldN++
				newN++
			case diffmatchpatch.DiffDelete:
				dels = append(dels, lineOp{Delete, oldN, newN, l})
				oldN++
			case diffmatchpatch.DiffInsert:
				adds = append(adds, lineOp{Add, oldN, newN, l})
				newN++
			}
		}
	}
	flush()
	return ops
}

// makeHunk builds a hunk from a slice of the edit script.
func makeHunk(ops []lineOp) Hunk {
	h := Hunk{Lines: make([]Line, 0, len(ops)), OldStart: ops[0].oldAt, NewStart: ops[0].newAt}
	for _, op := range ops {
		content := strings.TrimSuffix(op.text, "\n")
		h.Lines = append(h.Lines, Line{Kind: op.kind, Old: op.old(), New: op.new(), Content: content})
		if op.kind != Add {
			h.OldLines++
		}
		if op.kind != Delete {
			h.NewLines++
		}
	}
	// An empty side is numbered by the line before it ("-5,0"), as git does.
	if h.OldLines == 0 {
		h.OldStart--
	}
	if h.NewLines == 0 {
		h.NewStart--
	}
	return h
}

// splitKeep splits s into lines that keep their "\n"; a last line without
// one is kept as is.
func splitKeep(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// funcName returns the section heading git's default rule gives a hunk:
// the nearest line above it (in the base) that starts with a letter, "_"
// or "$", cut to 80 bytes and right-trimmed. from is a 0-based index of
// the hunk's first base line.
func funcName(oldLines []string, from int) string {
	for i := min(from, len(oldLines)) - 1; i >= 0; i-- {
		l := oldLines[i]
		if l == "" {
			continue
		}
		if c := l[0]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' {
			if len(l) > 80 {
				l = l[:80]
			}
			return strings.TrimRight(l, " \t\r\n\f\v")
		}
	}
	return ""
}
