package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// allowsNone reports whether an algorithms list or value names "none".
func allowsNone(n *node) bool {
	for _, s := range n.consts() {
		if strings.EqualFold(s, "none") {
			return true
		}
	}
	return false
}

var jwtUnverified = &rule{
	meta: meta("jwt-unverified", scanners.High,
		"JWT accepted without signature verification",
		"A token whose signature is not checked, or that may use alg \"none\", can be forged by anyone: any user id, any role.",
		"Verify every token with the expected key and a fixed list of algorithms (jwt.Parse with a key function checking the method, jwt.decode(token, key, algorithms=[\"HS256\"]), jsonwebtoken.verify, Jwts.parser().verifyWith(key).build().parseSignedClaims).",
		"CWE-347", "A02:2021 Cryptographic Failures",
		`jwt.decode(token, options={"verify_signature": False})`),
	sinks: []sink{
		{langs: langGo, names: []string{"*.ParseUnverified"}, advice: "ParseUnverified does not check the signature; use jwt.Parse with a key function that checks the signing method"},
		{langs: langGo, names: []string{"*.NewWithClaims", "*.New"},
			when:   func(m *match) bool { return strings.HasSuffix(m.arg(0).path(), "SigningMethodNone") },
			advice: "tokens signed with alg none can be forged; sign with HS256, RS256 or EdDSA"},
		{langs: langPython, names: []string{"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"},
			when: func(m *match) bool {
				if m.n.kwarg("verify").isFalse() || allowsNone(m.n.kwarg("algorithms")) {
					return true
				}
				o := m.n.kwarg("options")
				return o != nil && (o.kwarg("verify_signature").isFalse())
			},
			advice: "the token is decoded without checking its signature; pass the key and algorithms=[\"HS256\"] and keep verification on"},
		{langs: langJS, names: []string{"jsonwebtoken.verify", "jsonwebtoken.sign", "*.verify", "*.sign"},
			when: func(m *match) bool {
				if !m.imports("jsonwebtoken") && !strings.Contains(m.callee, "jwt") {
					return false
				}
				return allowsNone(m.n.kwarg("algorithms")) || allowsNone(m.n.kwarg("algorithm"))
			},
			advice: "allowing alg none lets anyone forge tokens; list only the algorithms you sign with"},
		{langs: langJava, names: []string{"*.parse", "*.parseUnsecuredClaims", "*.unsecured"},
			when: func(m *match) bool {
				return strings.Contains(m.callee, "Jwts.parser") && (base(m.callee) != "parse" || !strings.Contains(m.callee, "parseClaimsJws"))
			},
			advice: "JwtParser.parse accepts unsigned tokens; use parseClaimsJws / parseSignedClaims"},
	},
}
