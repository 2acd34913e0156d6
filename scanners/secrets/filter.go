package secrets

import (
	"math"
	"strings"
)

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// placeholderWords mark documentation and test values. They are matched
// case-insensitively anywhere in a candidate.
var placeholderWords = []string{
	"example", "xxxx", "your_", "your-", "yourtoken", "yourkey", "yoursecret", "yourapi",
	"placeholder", "changeme", "change_me", "change-me", "redacted", "dummy", "notreal", "not_real",
	"not-a-real", "replace_me", "replaceme", "insert_", "insert-", "sample", "fakekey", "fake_key",
	"faketoken", "fake_token", "fake-token", "0000000000", "1234567890", "abcdefghij", "****", "...",
	"${", "{{", "}}", "<", ">", "$(", "%s", "%v", "%(", "#{",
}

// isPlaceholder reports values that are documentation, templates or
// obviously not random: placeholder words, template syntax, long runs of
// one character and very few distinct characters.
func isPlaceholder(s string) bool {
	lower := strings.ToLower(s)
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	run, longest := 1, 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			run++
			longest = max(longest, run)
		} else {
			run = 1
		}
	}
	if longest >= 6 {
		return true
	}
	if len(s) >= 12 && distinct(s) < 6 {
		return true
	}
	return false
}

func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// classes counts the character classes in s: lower, upper, digit, other.
func classes(s string) (lower, upper, digit, other bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		default:
			other = true
		}
	}
	return
}

func numClasses(s string) int {
	n := 0
	l, u, d, o := classes(s)
	for _, b := range []bool{l, u, d, o} {
		if b {
			n++
		}
	}
	return n
}

// isUUID reports the 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return s != ""
}

// isHashLike reports digests that are commonly committed and not secrets:
// git SHAs and content hashes (hex of 32, 40, 64 or 128 digits) and
// Subresource-Integrity/lockfile strings (sha1-, sha256-, sha384-, sha512-).
func isHashLike(s string) bool {
	lower := strings.ToLower(s)
	for _, p := range []string{"sha1-", "sha256-", "sha384-", "sha512-", "sha256:", "sha512:", "md5:", "sha1:"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

func isIdentChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isBase64Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}
