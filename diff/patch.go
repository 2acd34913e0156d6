package diff

import (
	"fmt"
	"strconv"
	"strings"
)

// maxLineNumber bounds the line numbers a hunk header may claim. A header
// is attacker-controlled input; without a bound "+999999999,1" would make
// the partial Source allocate a gigabyte of blank lines.
const maxLineNumber = 50_000_000

// ParsePatch parses the hunks-only form of a unified diff that GitHub's
// "list pull request files" endpoint returns in its patch field: one or
// more "@@ -a,b +c,d @@" blocks with no file headers. An empty patch (a
// mode-only change, or a file GitHub did not diff) has no hunks. It returns
// the hunks and the set of head lines the patch adds.
func ParsePatch(patch string) ([]Hunk, LineSet, error) {
	var hp hunkParser
	// The lines are walked in place rather than split into a slice: a
	// scan parses one patch per changed file (BenchmarkParsePatch).
	rest := strings.TrimSuffix(patch, "\n")
	left := 0
	if patch != "" {
		left = strings.Count(rest, "\n") + 1
	}
	for n := 1; left > 0; n++ {
		var text string
		text, rest, _ = strings.Cut(rest, "\n")
		left--
		if hp.active() {
			if err := hp.line(text); err != nil {
				return nil, LineSet{}, fmt.Errorf("parse patch: line %d: %w", n, err)
			}
			continue
		}
		switch {
		case strings.HasPrefix(text, "@@"):
			h, err := parseHunkHeader(text)
			if err != nil {
				return nil, LineSet{}, fmt.Errorf("parse patch: line %d: %w", n, err)
			}
			hp.start(h, left)
		case strings.HasPrefix(text, `\`) && len(hp.hunks) > 0:
			hp.noNewline()
		case text == "":
			// A blank line between or after hunks carries nothing.
		default:
			return nil, LineSet{}, fmt.Errorf("parse patch: line %d: unexpected line %s outside a hunk", n, describe(text))
		}
	}
	if hp.active() {
		return nil, LineSet{}, fmt.Errorf("parse patch: %w", hp.short())
	}
	var added LineSet
	for _, h := range hp.hunks {
		addHunkLines(&added, h)
	}
	return hp.hunks, added, nil
}

// addHunkLines adds the head numbers of h's added lines to s.
func addHunkLines(s *LineSet, h Hunk) {
	for _, l := range h.Lines {
		if l.Kind == Add {
			s.Add(l.New)
		}
	}
}

// splitLines splits s into lines on "\n". A "\r" before the newline is
// kept: a CRLF file keeps it in Line.Content, as git shows it.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// parseHunkHeader parses "@@ -a[,b] +c[,d] @@[ section]".
func parseHunkHeader(s string) (Hunk, error) {
	if strings.HasPrefix(s, "@@@") {
		return Hunk{}, fmt.Errorf("combined diff hunk %q is not supported", describe(s))
	}
	rest, ok := strings.CutPrefix(s, "@@ -")
	if !ok {
		return Hunk{}, fmt.Errorf("bad hunk header %q", describe(s))
	}
	ranges, section, ok := strings.Cut(rest, " @@")
	if !ok {
		return Hunk{}, fmt.Errorf("bad hunk header %q: no closing @@", describe(s))
	}
	oldR, newR, ok := strings.Cut(ranges, " +")
	if !ok {
		return Hunk{}, fmt.Errorf("bad hunk header %q: no new range", describe(s))
	}
	var h Hunk
	var err error
	if h.OldStart, h.OldLines, err = parseRange(oldR); err != nil {
		return Hunk{}, fmt.Errorf("bad hunk header %q: old range: %w", describe(s), err)
	}
	if h.NewStart, h.NewLines, err = parseRange(newR); err != nil {
		return Hunk{}, fmt.Errorf("bad hunk header %q: new range: %w", describe(s), err)
	}
	h.Section = strings.TrimPrefix(section, " ")
	return h, nil
}

// parseRange parses "start[,count]"; a missing count means 1. A start of 0
// is only valid with a count of 0 (the empty side of an added or deleted file).
func parseRange(s string) (start, count int, err error) {
	a, b, hasCount := strings.Cut(s, ",")
	if start, err = parseNum(a); err != nil {
		return 0, 0, err
	}
	count = 1
	if hasCount {
		if count, err = parseNum(b); err != nil {
			return 0, 0, err
		}
	}
	if start == 0 && count != 0 {
		return 0, 0, fmt.Errorf("start 0 with %d lines", count)
	}
	if start+count > maxLineNumber {
		return 0, 0, fmt.Errorf("line numbers over %d", maxLineNumber)
	}
	return start, count, nil
}

func parseNum(s string) (int, error) {
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("bad number %q", describe(s))
	}
	return strconv.Atoi(s)
}

// hunkParser consumes the body lines of one hunk, checking them against
// the counts of its header.
type hunkParser struct {
	hunks      []Hunk
	hunk       *Hunk // the last of hunks
	oldN, newN int   // next line numbers
	oldLeft    int   // base lines still expected
	newLeft    int   // head lines still expected
	last       LineKind
	noEOL      [2]bool // [Head], [Base]: the side's last line has no newline
	sawLine    bool
}

// start begins hunk h, whose body is at most room lines (the lines left
// in the input): its lines are allocated once, for the most its header
// announces that the input can hold, so a header claiming millions of
// lines costs nothing.
func (p *hunkParser) start(h Hunk, room int) {
	if n := min(h.OldLines+h.NewLines, room); n > 0 {
		h.Lines = make([]Line, 0, n)
	}
	p.hunks = append(p.hunks, h)
	p.hunk = &p.hunks[len(p.hunks)-1]
	p.oldN, p.newN = h.OldStart, h.NewStart
	p.oldLeft, p.newLeft = h.OldLines, h.NewLines
	p.sawLine = false
	if h.OldLines == 0 {
		// "-0,0" or "-5,0": the first head line follows base line OldStart.
		p.oldN = h.OldStart + 1
	}
	if h.NewLines == 0 {
		p.newN = h.NewStart + 1
	}
}

// active reports whether the current hunk still expects body lines.
func (p *hunkParser) active() bool { return p.oldLeft > 0 || p.newLeft > 0 }

// line consumes one body line of the current hunk.
func (p *hunkParser) line(text string) error {
	if text == "" {
		// Some tools strip the single space of an empty context line.
		text = " "
	}
	switch text[0] {
	case ' ':
		if p.oldLeft == 0 || p.newLeft == 0 {
			return p.mismatch("context")
		}
		p.push(Line{Kind: Context, Old: p.oldN, New: p.newN, Content: text[1:]})
		p.oldN++
		p.newN++
		p.oldLeft--
		p.newLeft--
	case '-':
		if p.oldLeft == 0 {
			return p.mismatch("deleted")
		}
		p.push(Line{Kind: Delete, Old: p.oldN, Content: text[1:]})
		p.oldN++
		p.oldLeft--
	case '+':
		if p.newLeft == 0 {
			return p.mismatch("added")
		}
		p.push(Line{Kind: Add, New: p.newN, Content: text[1:]})
		p.newN++
		p.newLeft--
	case '\\':
		p.noNewline()
	default:
		return fmt.Errorf("%w; got a line %s", p.short(), describe(text))
	}
	return nil
}

func (p *hunkParser) push(l Line) {
	p.hunk.Lines = append(p.hunk.Lines, l)
	p.last = l.Kind
	p.sawLine = true
}

// noNewline records "\ No newline at end of file", which applies to the
// line just before it.
func (p *hunkParser) noNewline() {
	if !p.sawLine {
		return
	}
	switch p.last {
	case Context:
		p.noEOL[Head], p.noEOL[Base] = true, true
	case Add:
		p.noEOL[Head] = true
	case Delete:
		p.noEOL[Base] = true
	}
}

func (p *hunkParser) mismatch(kind string) error {
	h := *p.hunk
	return fmt.Errorf("%s line does not fit hunk @@ -%d,%d +%d,%d @@: counts do not add up",
		kind, h.OldStart, h.OldLines, h.NewStart, h.NewLines)
}

func (p *hunkParser) short() error {
	h := *p.hunk
	return fmt.Errorf("hunk @@ -%d,%d +%d,%d @@ ends early: %d base and %d head lines missing",
		h.OldStart, h.OldLines, h.NewStart, h.NewLines, p.oldLeft, p.newLeft)
}

// describe names a line of input in an error message without echoing it:
// diff lines may hold secrets, so only a short prefix and the length show.
func describe(s string) string {
	const max = 8
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:max]), len(s))
}
