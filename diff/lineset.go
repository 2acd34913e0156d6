package diff

import (
	"sort"
	"strconv"
	"strings"
)

// LineRange is an inclusive range of 1-based line numbers.
type LineRange struct {
	Start, End int
}

// LineSet is a set of 1-based line numbers stored as sorted, disjoint,
// non-adjacent inclusive ranges. The zero value is an empty set.
type LineSet struct {
	ranges []LineRange
}

// NewLineSet returns a set holding the given lines.
func NewLineSet(lines ...int) LineSet {
	var s LineSet
	for _, l := range lines {
		s.Add(l)
	}
	return s
}

// Add inserts one line.
func (s *LineSet) Add(line int) { s.AddRange(line, line) }

// AddRange inserts every line from start to end inclusive.
func (s *LineSet) AddRange(start, end int) {
	if start > end || end < 1 {
		return
	}
	if start < 1 {
		start = 1
	}
	// Fast path: appending in order, which is how builders fill the set.
	if n := len(s.ranges); n == 0 || s.ranges[n-1].End+1 < start {
		s.ranges = append(s.ranges, LineRange{start, end})
		return
	} else if s.ranges[n-1].Start <= start {
		if end > s.ranges[n-1].End {
			s.ranges[n-1].End = end
		}
		return
	}
	merged := make([]LineRange, 0, len(s.ranges)+1)
	nr := LineRange{start, end}
	placed := false
	for _, r := range s.ranges {
		switch {
		case r.End+1 < nr.Start:
			merged = append(merged, r)
		case nr.End+1 < r.Start:
			if !placed {
				merged = append(merged, nr)
				placed = true
			}
			merged = append(merged, r)
		default:
			nr.Start = min(nr.Start, r.Start)
			nr.End = max(nr.End, r.End)
		}
	}
	if !placed {
		merged = append(merged, nr)
	}
	s.ranges = merged
}

// Contains reports whether line is in the set.
func (s LineSet) Contains(line int) bool {
	i := sort.Search(len(s.ranges), func(i int) bool { return s.ranges[i].End >= line })
	return i < len(s.ranges) && s.ranges[i].Start <= line
}

// Intersects reports whether any line from start to end inclusive is in the set.
func (s LineSet) Intersects(start, end int) bool {
	if end < start {
		end = start
	}
	i := sort.Search(len(s.ranges), func(i int) bool { return s.ranges[i].End >= start })
	return i < len(s.ranges) && s.ranges[i].Start <= end
}

// Len returns the number of lines in the set.
func (s LineSet) Len() int {
	n := 0
	for _, r := range s.ranges {
		n += r.End - r.Start + 1
	}
	return n
}

// Ranges returns the set's ranges in ascending order. The caller must not
// modify the returned slice.
func (s LineSet) Ranges() []LineRange { return s.ranges }

// String renders the set as "1-3,7".
func (s LineSet) String() string {
	var b strings.Builder
	for i, r := range s.ranges {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(r.Start))
		if r.End != r.Start {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(r.End))
		}
	}
	return b.String()
}
