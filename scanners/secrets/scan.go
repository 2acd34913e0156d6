package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"
)

// scanCtx is the state of one scan of one text; it never outlives Scan.
type scanCtx struct {
	data []byte
	path string
	// bare says whether unquoted values count in generic assignments
	// (.env, YAML, properties, shell) or only string literals (code).
	bare bool
	// testFile marks tests and fixtures, where the generic rules stay
	// silent: their values are test vectors far more often than leaks.
	// Provider formats (checksummed, prefixed) are still reported.
	testFile bool

	lineOff, lineNo int // cursor for line numbers: data[lineOff] starts line lineNo
	ls, le          int // the last line lineBounds returned (le == 0: none)
}

func newScanCtx(data []byte, p string) *scanCtx {
	return &scanCtx{data: data, path: p, bare: bareValues(p), testFile: isTestPath(p), lineNo: 1}
}

// isTestPath reports test sources and fixture directories.
func isTestPath(p string) bool {
	p = "/" + strings.ToLower(p)
	for _, dir := range []string{"/testdata/", "/fixtures/", "/__fixtures__/", "/__tests__/"} {
		if strings.Contains(p, dir) {
			return true
		}
	}
	base := path.Base(p)
	return strings.HasSuffix(base, "_test.go") || strings.HasSuffix(base, "_test.py") || strings.HasPrefix(base, "test_") && strings.HasSuffix(base, ".py") ||
		strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") || strings.HasSuffix(base, "_spec.rb")
}

// codeExts are languages where a secret is a string literal; elsewhere an
// unquoted value after "name=" or "name:" is a value too.
var codeExts = map[string]bool{
	".go": true, ".py": true, ".js": true, ".jsx": true, ".mjs": true, ".cjs": true, ".ts": true, ".tsx": true,
	".java": true, ".kt": true, ".kts": true, ".scala": true, ".groovy": true, ".gradle": true, ".rb": true, ".php": true,
	".cs": true, ".rs": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".hpp": true, ".swift": true,
	".m": true, ".dart": true, ".lua": true, ".pl": true, ".r": true, ".ex": true, ".exs": true, ".erl": true,
	".tf": true, ".hcl": true, ".json": true, ".vue": true, ".svelte": true,
}

func bareValues(p string) bool {
	if p == "" {
		return true
	}
	return !codeExts[strings.ToLower(path.Ext(p))]
}

// lineBounds returns the start of the line holding off and its end (the
// offset of its '\n' or len(data)).
//
// The last answer is cached: keyword hits come in order, and a minified
// file's single multi-megabyte line must not be rescanned for every hit.
func (c *scanCtx) lineBounds(off int) (int, int) {
	if c.le > 0 && c.ls <= off && off < c.le {
		return c.ls, c.le
	}
	s, e := c.findLine(off)
	c.ls, c.le = s, e
	return s, e
}

func (c *scanCtx) findLine(off int) (int, int) {
	s := bytes.LastIndexByte(c.data[:off], '\n') + 1
	e := bytes.IndexByte(c.data[off:], '\n')
	if e < 0 {
		return s, len(c.data)
	}
	return s, off + e
}

// pos returns the 1-based line and byte column of offset off.
func (c *scanCtx) pos(off int) (line, col int) {
	if off < c.lineOff {
		c.lineOff, c.lineNo = 0, 1
	}
	c.lineNo += bytes.Count(c.data[c.lineOff:off], []byte{'\n'})
	c.lineOff = bytes.LastIndexByte(c.data[:off], '\n') + 1
	if c.lineOff < 0 {
		c.lineOff = 0
	}
	return c.lineNo, off - c.lineOff + 1
}

// hit is one accepted secret of one rule.
type hit struct {
	rule *rule
	span
}

// find runs every rule of rs over c and returns the accepted secrets in
// content order, with overlaps resolved in favour of the more specific rule.
func (rs *ruleSet) find(c *scanCtx) []hit {
	var hits []hit
	if rs.m != nil {
		done := make([]int, len(rs.rules))
		rs.m.scan(c.data, func(kw, end int) {
			start := end - rs.m.lengths[kw]
			if rs.kwExact[kw] && string(c.data[start:end]) != rs.kwText[kw] {
				return
			}
			for _, ri := range rs.kwRules[kw] {
				if end <= done[ri] {
					continue
				}
				r := rs.rules[ri]
				spans, until := r.run(c, start, end)
				done[ri] = max(until, end)
				for _, s := range spans {
					hits = append(hits, hit{r, s})
				}
			}
		})
	}
	for _, r := range rs.rules {
		if r.generic {
			for _, s := range r.runAll(c) {
				hits = append(hits, hit{r, s})
			}
		}
	}
	return resolve(hits)
}

// run applies a rule around one keyword hit.
func (r *rule) run(c *scanCtx, start, end int) ([]span, int) {
	if r.find != nil {
		return r.find(c, start, end)
	}
	ls, le := c.lineBounds(start)
	after := 320
	if r.long {
		after = 8192
	}
	ws, we := max(ls, start-256), min(le, end+after)
	if r.prefix {
		if start > 0 && isWordByte(c.data[start-1]) {
			return nil, end // "\\b" fails: the keyword is inside a longer word
		}
		ws = start
		n := 0
		for p := end; p < we && n < r.tail && isTokenByte(c.data[p]); p++ {
			n++
		}
		if n < r.tail {
			return nil, end
		}
	}
	return r.matchIn(c, ws, we), we
}

// runAll applies a keyword-less custom rule line by line to the whole text.
func (r *rule) runAll(c *scanCtx) []span {
	var out []span
	for off := 0; off < len(c.data); {
		_, le := c.lineBounds(off)
		out = append(out, r.matchIn(c, off, le)...)
		off = le + 1
	}
	return out
}

func (r *rule) matchIn(c *scanCtx, ws, we int) []span {
	var out []span
	window := c.data[ws:we]
	for _, m := range r.rx.FindAllSubmatchIndex(window, -1) {
		g := r.group
		for g > 0 && g < len(m)/2-1 && m[2*g] < 0 {
			g++ // alternatives: the first group that matched from r.group on
		}
		s, e := m[2*g], m[2*g+1]
		if s < 0 || s == e {
			continue
		}
		secret := string(window[s:e])
		if r.accept(c, secret, window) {
			out = append(out, span{ws + s, ws + e, secret})
		}
	}
	return out
}

// accept applies the entropy, placeholder, check and allowlist filters.
func (r *rule) accept(c *scanCtx, secret string, line []byte) bool {
	if r.entropy > 0 && entropy(secret) < r.entropy {
		return false
	}
	if !r.noFilter && isPlaceholder(secret) {
		return false
	}
	if r.check != nil && !r.check(secret, line) {
		return false
	}
	for _, re := range r.allowRe {
		if re.MatchString(secret) {
			return false
		}
	}
	for _, re := range r.allowPth {
		if re.MatchString(c.path) {
			return false
		}
	}
	lower := strings.ToLower(secret)
	for _, w := range r.stop {
		if strings.Contains(lower, w) {
			return false
		}
	}
	return true
}

// resolve sorts hits, drops duplicates and drops a hit overlapped by a
// hit of a more specific rule.
func resolve(hits []hit) []hit {
	if len(hits) < 2 {
		return hits
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return strings.Compare(a.rule.meta.ID, b.rule.meta.ID)
	})
	keep := make([]bool, len(hits))
	for i := range hits {
		keep[i] = true
		for j := max(0, i-64); j < len(hits) && hits[j].start < hits[i].end; j++ {
			if i == j || hits[i].start >= hits[j].end {
				continue
			}
			pi, pj := hits[i].rule.prio, hits[j].rule.prio
			if pj > pi || hits[j].rule == hits[i].rule && j < i {
				keep[i] = false
				break
			}
		}
	}
	out := hits[:0]
	for i, h := range hits {
		if keep[i] {
			out = append(out, h)
		}
	}
	return out
}

// hashSecret is what a finding's Match carries: the fingerprint input, so
// that the engine never sees the raw value.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isTokenByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("_-+/=.%~$", c) >= 0
}
