package diff

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseUnified reads a multi-file unified diff — git diff, git show or
// git format-patch output, or plain "diff -u"/"diff -ru" output — into a
// ChangeSet. Contents are reconstructed from the hunks only, so every file
// is Partial: its Source returns the added and context lines (head) or the
// deleted and context lines (base) at their line numbers, with blank lines
// elsewhere. Binary files are marked skipped, and so is every file limits
// skips by path. Malformed input (a bad hunk header, hunk counts that do
// not add up) is an error naming the line of the diff; text around the
// diffs (commit messages, mail headers) is ignored. A path changed by
// several commits of a git log -p or format-patch series appears once per
// commit, each with that commit's hunks.
func ParseUnified(r io.Reader, limits Limits) (*ChangeSet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("parse diff: read: %w", err)
	}
	p := &unifiedParser{lines: splitLines(string(data)), limits: limits}
	if err := p.run(); err != nil {
		return nil, fmt.Errorf("parse diff: %w", err)
	}
	return &ChangeSet{Files: p.files}, nil
}

// fileState is what the parser has gathered about the file being read.
type fileState struct {
	git              bool   // started by "diff --git"
	gitOld, gitNew   string // paths of the "diff --git" line
	minus, plus      string // paths of the ---/+++ lines
	sawMinus         bool
	sawPlus          bool
	renameFrom       string
	renameTo         string
	copied, renamed  bool
	added, deleted   bool
	oldMode, newMode Mode
	indexMode        Mode
	baseBlob         string
	headBlob         string
	similarity100    bool
	binary           bool
	hp               hunkParser
}

type unifiedParser struct {
	lines  []string
	limits Limits
	files  []*File
	cur    *fileState
	// skipping is set inside a "GIT binary patch" block or after a mail
	// signature ("-- "), until the next file header.
	skipping bool
}

func (p *unifiedParser) run() error {
	for i := 0; i < len(p.lines); i++ {
		text, n := p.lines[i], i+1
		if p.cur != nil && p.cur.hp.active() {
			if err := p.cur.hp.line(text); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			continue
		}
		// Header lines of a diff saved with CRLF endings lose the "\r";
		// hunk lines above keep it, as it may belong to the file.
		text = strings.TrimSuffix(text, "\r")
		if rest, ok := strings.CutPrefix(text, "diff --git "); ok {
			if err := p.finish(); err != nil {
				return err
			}
			a, b, err := splitGitPaths(rest)
			if err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			p.cur = &fileState{git: true, gitOld: a, gitNew: b}
			p.skipping = false
			continue
		}
		if strings.HasPrefix(text, "--- ") && i+1 < len(p.lines) && strings.HasPrefix(p.lines[i+1], "+++ ") {
			if p.cur == nil || p.cur.sawMinus || !p.cur.git || len(p.cur.hp.hunks) > 0 {
				// A plain diff -u file, or the next file of one.
				if err := p.finish(); err != nil {
					return err
				}
				p.cur = &fileState{}
			}
			var err error
			if p.cur.minus, err = headerPath(text[4:]); err == nil {
				p.cur.plus, err = headerPath(strings.TrimSuffix(p.lines[i+1][4:], "\r"))
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			p.cur.sawMinus, p.cur.sawPlus = true, true
			p.skipping = false
			i++
			continue
		}
		if p.skipping {
			continue
		}
		if err := p.other(text, n); err != nil {
			return err
		}
	}
	if p.cur != nil && p.cur.hp.active() {
		return fmt.Errorf("at end of input: %w", p.cur.hp.short())
	}
	return p.finish()
}

// other handles a line that is neither a file header nor inside a hunk.
func (p *unifiedParser) other(text string, n int) error {
	f := p.cur
	switch {
	case strings.HasPrefix(text, "@@"):
		if f == nil || f.git && !f.sawPlus {
			return fmt.Errorf("line %d: hunk without a ---/+++ file header", n)
		}
		h, err := parseHunkHeader(text)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		f.hp.start(h, len(p.lines)-n)
		return nil
	case strings.HasPrefix(text, `\`):
		if f != nil {
			f.hp.noNewline()
		}
		return nil
	case text == "-- " || isCommitLine(text):
		// A format-patch signature, or the header of the next commit in
		// git log -p / an mbox: what follows up to a file header is prose.
		p.skipping = true
		return nil
	case strings.HasPrefix(text, "Binary files ") && strings.HasSuffix(text, " differ"):
		if f == nil || !f.git {
			// diff -r reports binary files with no other header.
			if err := p.finish(); err != nil {
				return err
			}
			f = &fileState{}
			p.cur = f
			pair := strings.TrimSuffix(strings.TrimPrefix(text, "Binary files "), " differ")
			if a, b, ok := strings.Cut(pair, " and "); ok {
				f.minus, f.plus = a, b
			} else {
				f.minus, f.plus = pair, pair
			}
			f.sawMinus, f.sawPlus = true, true
		}
		f.binary = true
		return nil
	}
	if f != nil && len(f.hp.hunks) > 0 && text != "" && strings.ContainsRune("+- ", rune(text[0])) {
		return fmt.Errorf("line %d: diff line outside every hunk: hunk counts do not add up", n)
	}
	if f == nil || !f.git || f.sawPlus {
		return nil // text around the diffs: commit message, mail headers
	}
	return p.extended(f, text, n)
}

// extended reads git's extended header lines between "diff --git" and "---".
func (p *unifiedParser) extended(f *fileState, text string, n int) error {
	key, val := text, ""
	for _, k := range []string{"old mode ", "new mode ", "deleted file mode ", "new file mode ",
		"similarity index ", "dissimilarity index ", "rename from ", "rename to ", "copy from ", "copy to ", "index "} {
		if v, ok := strings.CutPrefix(text, k); ok {
			key, val = strings.TrimSpace(k), v
			break
		}
	}
	var err error
	switch key {
	case "old mode":
		f.oldMode, err = parseMode(val)
	case "new mode":
		f.newMode, err = parseMode(val)
	case "deleted file mode":
		f.deleted = true
		f.oldMode, err = parseMode(val)
	case "new file mode":
		f.added = true
		f.newMode, err = parseMode(val)
	case "similarity index":
		f.similarity100 = val == "100%"
	case "rename from", "copy from":
		f.renamed, f.copied = key == "rename from", key == "copy from"
		f.renameFrom, err = headerPath(val)
	case "rename to", "copy to":
		f.renameTo, err = headerPath(val)
	case "index":
		err = f.index(val)
	case "GIT binary patch":
		f.binary = true
		p.skipping = true
	}
	if err != nil {
		return fmt.Errorf("line %d: %s: %w", n, key, err)
	}
	return nil
}

// index reads "abc123..def456[ 100644]".
func (f *fileState) index(val string) error {
	ids, mode, hasMode := strings.Cut(val, " ")
	a, b, ok := strings.Cut(ids, "..")
	if !ok || !isHex(a) || !isHex(b) {
		return fmt.Errorf("bad blob ids %s", describe(ids))
	}
	f.baseBlob, f.headBlob = nonZero(a), nonZero(b)
	if hasMode {
		m, err := parseMode(mode)
		if err != nil {
			return err
		}
		f.indexMode = m
	}
	return nil
}

// isCommitLine matches "commit <sha>" (git log) and "From <sha> …" (mbox).
func isCommitLine(s string) bool {
	for _, k := range []string{"commit ", "From "} {
		if rest, ok := strings.CutPrefix(s, k); ok {
			id, _, _ := strings.Cut(rest, " ")
			return len(id) >= 40 && isHex(id)
		}
	}
	return false
}

func isHex(s string) bool {
	return s != "" && len(s) <= 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// nonZero maps git's all-zero id (the missing side) to "".
func nonZero(id string) string {
	if strings.Trim(id, "0") == "" {
		return ""
	}
	return id
}

func parseMode(s string) (Mode, error) {
	s = strings.TrimSpace(s)
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || len(s) != 6 {
		return 0, fmt.Errorf("bad mode %s", describe(s))
	}
	return Mode(m), nil
}
