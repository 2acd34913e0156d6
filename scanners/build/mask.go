package build

import (
	"regexp"
	"strings"

	"github.com/picketsec/picket/scanners/secrets"
)

// tokenRe matches runs that look like credentials: long, mixing letters
// and digits, without path or host separators.
var tokenRe = regexp.MustCompile(`[A-Za-z0-9_\-+=]{16,}`)

// mask hides credentials in text meant for a message: first every secret
// the secret scanner's rules recognise, then any remaining long run that
// mixes letters and digits (keeping a 4-character prefix), so that a
// command quoted in a finding never carries a whole token.
func mask(s string) string {
	s = secrets.Mask(s)
	return tokenRe.ReplaceAllStringFunc(s, func(t string) string {
		if !strings.ContainsAny(t, "0123456789") || strings.IndexFunc(t, isLetter) < 0 || strings.ToUpper(t) == t && strings.Contains(t, "_") {
			return t
		}
		return t[:4] + "…"
	})
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// short truncates a command for a message.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		return s[:97] + "…"
	}
	return s
}
