package diff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// finish turns the file being read into a File and appends it.
func (p *unifiedParser) finish() error {
	st := p.cur
	p.cur = nil
	if st == nil {
		return nil
	}
	f, err := st.build(p.limits)
	if err != nil {
		return err
	}
	p.files = append(p.files, f)
	return nil
}

func (st *fileState) build(limits Limits) (*File, error) {
	oldP, newP := st.paths()
	if oldP == devNull && newP == devNull || oldP == "" && newP == "" {
		return nil, errors.New("file header names no path")
	}
	added, deleted := st.added || oldP == devNull, st.deleted || newP == devNull
	if !st.git && !added && !deleted && len(st.hp.hunks) == 1 {
		// GNU diff -N shows a missing file as an empty one.
		h := st.hp.hunks[0]
		added = h.OldStart == 0 && h.OldLines == 0
		deleted = h.NewStart == 0 && h.NewLines == 0
	}
	f := &File{
		Path: newP, Status: Modified, Size: -1, Partial: true,
		Hunks: st.hp.hunks, HeadBlob: st.headBlob, BaseBlob: st.baseBlob,
	}
	switch {
	case deleted:
		f.Path, f.Status, f.HeadBlob = oldP, Deleted, ""
	case added:
		f.Status, f.BaseBlob = Added, ""
	case st.renamed:
		f.Status, f.OldPath = Renamed, oldP
	case st.copied:
		f.Status, f.OldPath = Copied, oldP
	}
	f.Mode, f.OldMode = st.modes(f.Status)
	for _, h := range f.Hunks {
		addHunkLines(&f.Added, h)
	}
	if !st.binary {
		f.Source = partialSource{noEOL: st.hp.noEOL, maxSize: limits.maxSize()}
	}
	f.Skipped = st.skip(f, limits)
	return f, nil
}

// paths returns the base and head paths, /dev/null for a missing side.
// Rename and copy lines win over ---/+++, which win over "diff --git".
func (st *fileState) paths() (oldP, newP string) {
	if st.git {
		strip := prefixed(st.gitOld, st.gitNew)
		oldP, newP = stripPair(st.gitOld, st.gitNew, strip)
		if st.sawMinus {
			m, p := stripPair(st.minus, st.plus, strip || prefixed(st.minus, st.plus))
			if m != devNull {
				oldP = m
			}
			if p != devNull {
				newP = p
			}
		}
	} else {
		oldP, newP = stripPair(st.minus, st.plus, plainStrip(st.minus, st.plus))
	}
	if st.renameFrom != "" {
		oldP = st.renameFrom
	}
	if st.renameTo != "" {
		newP = st.renameTo
	}
	return oldP, newP
}

// modes returns the head and base modes; plain diffs carry none, so they
// count as regular files.
func (st *fileState) modes(s Status) (mode, old Mode) {
	or := func(ms ...Mode) Mode {
		for _, m := range ms {
			if m != 0 {
				return m
			}
		}
		return ModeRegular
	}
	switch s {
	case Added:
		return or(st.newMode, st.indexMode), 0
	case Deleted:
		m := or(st.oldMode, st.indexMode)
		return m, m
	}
	return or(st.newMode, st.indexMode), or(st.oldMode, st.indexMode)
}

func (st *fileState) skip(f *File, limits Limits) *SkipReason {
	if st.binary {
		return &SkipReason{Code: SkipBinary}
	}
	if (f.Status == Renamed || f.Status == Copied) && st.similarity100 && len(f.Hunks) == 0 {
		return &SkipReason{Code: SkipUnchanged, Detail: f.Status.String() + " without content change"}
	}
	if r := limits.CheckPath(f); r != nil {
		return r
	}
	if max := limits.maxSize(); max > 0 {
		if n := reconstructedSize(f.Hunks, Head); n > max {
			return tooLarge(n, max)
		}
	}
	return nil
}

// lineNumber returns l's number on side, or 0 when l is not on that side.
func lineNumber(l Line, side Side) int {
	if side == Head && l.Kind != Delete {
		return l.New
	}
	if side == Base && l.Kind != Add {
		return l.Old
	}
	return 0
}

// reconstructedSize is the byte size of the text partialSource builds.
func reconstructedSize(hunks []Hunk, side Side) int64 {
	var last, n int64
	for _, h := range hunks {
		for _, l := range h.Lines {
			if k := lineNumber(l, side); k > 0 {
				last = max(last, int64(k))
				n += int64(len(l.Content))
			}
		}
	}
	return n + last
}

// partialSource rebuilds one side of a file from its hunks: the lines the
// diff shows sit at their line numbers, the lines it does not show are
// blank, so findings in the result have the right line numbers.
type partialSource struct {
	noEOL   [2]bool // indexed by Side: the side's last line has no newline
	maxSize int64   // refuse to build more bytes than this; <= 0 means no cap
}

// Read implements Source. It is safe for concurrent use: it only reads f.
func (s partialSource) Read(ctx context.Context, f *File, side Side) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size := reconstructedSize(f.Hunks, side)
	if s.maxSize > 0 && size > s.maxSize {
		return nil, fmt.Errorf("reconstructed %s: %w", side, errors.New(tooLarge(size, s.maxSize).String()))
	}
	var b bytes.Buffer
	b.Grow(int(size))
	last := 0
	for _, h := range f.Hunks {
		for _, l := range h.Lines {
			k := lineNumber(l, side)
			if k <= last {
				continue // not on this side, or hunks out of order
			}
			for ; last < k-1; last++ {
				b.WriteByte('\n')
			}
			b.WriteString(l.Content)
			b.WriteByte('\n')
			last = k
		}
	}
	out := b.Bytes()
	if last > 0 && s.noEOL[side] {
		out = out[:len(out)-1]
	}
	return out, nil
}
