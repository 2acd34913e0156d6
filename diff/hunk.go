package diff

// LineKind classifies one line of a hunk.
type LineKind int

// The kinds of hunk lines.
const (
	Context LineKind = iota
	Add
	Delete
)

// Line is one line of a hunk with its numbers on both sides (0 where the
// line does not exist on that side).
type Line struct {
	Kind    LineKind
	Old     int // base line number, 0 for an added line
	New     int // head line number, 0 for a deleted line
	Content string
}

// Hunk is one "@@ -a,b +c,d @@" block of a unified diff.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Section            string // text after the second @@, if any
	Lines              []Line
}

// containsNew reports whether head line n is an added or context line of h.
func (h Hunk) containsNew(n int) bool {
	if h.NewLines == 0 || n < h.NewStart || n >= h.NewStart+h.NewLines {
		return false
	}
	if len(h.Lines) == 0 {
		return true
	}
	for _, l := range h.Lines {
		if l.New == n {
			return l.Kind != Delete
		}
	}
	return false
}
