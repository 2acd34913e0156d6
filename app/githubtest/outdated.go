package githubtest

import "strings"

// After a push, GitHub follows each review comment to the line with the
// same text in the new diff, and marks it outdated (no current line or
// position) when that line is gone. The fake approximates this by
// matching the commented line's text on the same side, nearest to the
// original line.

// placement is where a comment sits in the pull request's current diff.
type placement struct {
	line     int
	outdated bool
}

func (s *Server) place(c *ReviewComment) placement {
	orig := placement{line: c.Line}
	rs := s.st.repos[strings.ToLower(c.Repo)]
	if rs == nil {
		return orig
	}
	p := rs.prs[c.PR]
	if p == nil || c.CommitID == p.HeadSHA {
		return orig
	}
	var f *File
	for i := range p.Files {
		if p.Files[i].Path == c.Path {
			f = &p.Files[i]
		}
	}
	if f == nil {
		return placement{outdated: true}
	}
	if c.SubjectType == "file" {
		return orig
	}
	hunks, err := parsePatch(f.Patch)
	lines := strings.Split(c.DiffHunk, "\n")
	last := lines[len(lines)-1]
	if err != nil || c.DiffHunk == "" || last == "" {
		return placement{outdated: true}
	}
	kind, text := last[0], last[1:]
	side := c.Side
	if side == "" {
		side = "RIGHT"
	}
	best, bestDist := 0, -1
	for _, h := range hunks {
		for _, pl := range h.lines {
			if pl.text != text || (pl.kind != kind && pl.kind != ' ' && kind != ' ') {
				continue
			}
			n := pl.new
			if side == "LEFT" {
				n = pl.old
			}
			if n == 0 {
				continue
			}
			d := n - c.Line
			if d < 0 {
				d = -d
			}
			if bestDist < 0 || d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	if bestDist < 0 {
		return placement{outdated: true}
	}
	return placement{line: best}
}
