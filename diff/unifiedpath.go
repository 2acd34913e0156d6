package diff

import (
	"errors"
	"strings"
)

const devNull = "/dev/null"

// unquoteC decodes a path git quoted with C escapes ("a/\303\244 b.txt").
// s must start with a double quote; it returns the path and the rest of s
// after the closing quote.
func unquoteC(s string) (path, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", errors.New("quoted path does not start with a quote")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			i++
			if i >= len(s) {
				return "", "", errors.New("quoted path ends inside an escape")
			}
			switch e := s[i]; e {
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'v':
				b.WriteByte('\v')
			case '"', '\\':
				b.WriteByte(e)
			case '0', '1', '2', '3':
				if i+2 >= len(s) || !isOctal(s[i+1]) || !isOctal(s[i+2]) {
					return "", "", errors.New("bad octal escape in quoted path")
				}
				b.WriteByte((e-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
				i += 2
			default:
				return "", "", errors.New("unknown escape in quoted path")
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("quoted path has no closing quote")
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// headerPath reads the path of a "---"/"+++"/"rename from" line: quoted
// with C escapes, or raw up to a tab (diff -u appends "\tTIMESTAMP"; git
// appends a lone tab to names with spaces).
func headerPath(s string) (string, error) {
	if strings.HasPrefix(s, `"`) {
		p, _, err := unquoteC(s)
		return p, err
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return s, nil
}

// splitGitPaths splits the two paths of a "diff --git A B" line. Unquoted
// names may contain spaces, which makes the line ambiguous; the line is
// only the last resort for paths (rename lines and ---/+++ win), and for
// the files that rely on it (mode-only and binary changes) both names are
// the same, which resolves the ambiguity.
func splitGitPaths(s string) (a, b string, err error) {
	if strings.HasPrefix(s, `"`) {
		a, rest, err := unquoteC(s)
		if err != nil {
			return "", "", err
		}
		rest = strings.TrimPrefix(rest, " ")
		if strings.HasPrefix(rest, `"`) {
			b, _, err = unquoteC(rest)
			return a, b, err
		}
		return a, rest, nil
	}
	if strings.HasSuffix(s, `"`) {
		if i := strings.Index(s, ` "`); i >= 0 {
			b, _, err := unquoteC(s[i+1:])
			return s[:i], b, err
		}
	}
	if n := len(s); n%2 == 1 && s[n/2] == ' ' {
		a, b := s[:n/2], s[n/2+1:]
		if a == b || hasLetterPrefix(a) && hasLetterPrefix(b) && a[2:] == b[2:] {
			return a, b, nil
		}
	}
	if i := strings.Index(s, " b/"); strings.HasPrefix(s, "a/") && i >= 0 {
		return s[:i], s[i+1:], nil
	}
	a, b, ok := strings.Cut(s, " ")
	if !ok {
		return "", "", errors.New("diff --git line has one path")
	}
	return a, b, nil
}

// hasLetterPrefix reports whether p starts with git's one-letter source
// prefix: "a/" and "b/", or the mnemonic "c/", "i/", "w/", "o/".
func hasLetterPrefix(p string) bool {
	return len(p) > 2 && p[1] == '/' && p[0] >= 'a' && p[0] <= 'z'
}

// prefixed decides whether a pair of paths carries git's source prefixes
// (true for "a/x b/x", false for --no-prefix output). /dev/null stands in
// for a missing side.
func prefixed(old, new string) bool {
	switch {
	case old == devNull && new == devNull:
		return false
	case old == devNull:
		return strings.HasPrefix(new, "b/") || strings.HasPrefix(new, "w/") || strings.HasPrefix(new, "i/")
	case new == devNull:
		return strings.HasPrefix(old, "a/") || strings.HasPrefix(old, "c/") || strings.HasPrefix(old, "i/") || strings.HasPrefix(old, "o/")
	}
	return hasLetterPrefix(old) && hasLetterPrefix(new) && old[0] != new[0]
}

// stripPair removes the leading component of both paths when prefixed
// says they carry one; /dev/null is kept.
func stripPair(old, new string, strip bool) (string, string) {
	if !strip {
		return old, new
	}
	cut := func(p string) string {
		if p == devNull {
			return p
		}
		if _, rest, ok := strings.Cut(p, "/"); ok {
			return rest
		}
		return p
	}
	return cut(old), cut(new)
}

// plainStrip decides the prefix of a plain "diff -u" pair: git's a/ b/,
// or "diff -ru old/ new/" directories whose remainders match.
func plainStrip(old, new string) bool {
	if prefixed(old, new) {
		return true
	}
	_, ro, ok1 := strings.Cut(old, "/")
	_, rn, ok2 := strings.Cut(new, "/")
	return ok1 && ok2 && ro == rn && ro != ""
}
