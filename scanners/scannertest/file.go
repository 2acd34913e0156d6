package scannertest

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	gitdiff "github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/picketsec/picket/diff"
)

// NewFile builds an in-memory changed file: added when base is nil,
// modified otherwise, with one hunk spanning the whole head so that every
// head line can anchor a comment, and Added holding the head lines a
// line diff marks as inserted.
func NewFile(path string, base, head []byte) *diff.File {
	f := &diff.File{Path: path, Status: diff.Added, Mode: diff.ModeRegular, HeadBlob: blobID(head), Size: int64(len(head))}
	n := lineCount(head)
	if base == nil {
		f.Added.AddRange(1, n)
	} else {
		f.Status, f.OldMode, f.BaseBlob = diff.Modified, diff.ModeRegular, blobID(base)
		f.Added = addedLines(base, head)
	}
	hunk := diff.Hunk{OldStart: 1, OldLines: lineCount(base), NewStart: 1, NewLines: n}
	for i := 1; i <= n; i++ {
		kind := diff.Context
		if f.Added.Contains(i) {
			kind = diff.Add
		}
		hunk.Lines = append(hunk.Lines, diff.Line{Kind: kind, New: i})
	}
	f.Hunks = []diff.Hunk{hunk}
	f.Source = diff.SourceFunc(func(_ context.Context, _ *diff.File, side diff.Side) ([]byte, error) {
		if side == diff.Base {
			return base, nil
		}
		return head, nil
	})
	return f
}

// ChangeSet wraps files in a change set.
func ChangeSet(files ...*diff.File) *diff.ChangeSet {
	return &diff.ChangeSet{Base: "base", Head: "head", Files: files}
}

func lineCount(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n := bytes.Count(b, []byte("\n"))
	if b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// addedLines returns the head lines inserted by a line diff of base → head.
func addedLines(base, head []byte) diff.LineSet {
	var set diff.LineSet
	line := 1
	for _, d := range gitdiff.Do(string(base), string(head)) {
		n := lineCount([]byte(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			set.AddRange(line, line+n-1)
			line += n
		case diffmatchpatch.DiffEqual:
			line += n
		}
	}
	return set
}

// blobID is git's blob id of content.
func blobID(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}
