package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// returnsTrue reports whether a function body only returns true.
func returnsTrue(fn *node) bool {
	b := fn.kid(0)
	if b != nil && b.k == kConst {
		return b.isTrue()
	}
	if b == nil || len(b.kids) != 1 || b.kids[0].k != kReturn {
		return false
	}
	return b.kids[0].kid(0).isTrue()
}

// verifyFalseFix removes verify=False from a call on one line.
func verifyFalseFix(m *match) *scanners.Fix {
	for _, p := range m.n.kw {
		if p.text == "verify" {
			pm := &match{a: m.a, n: p}
			return pm.removeFix("remove verify=False so that certificates are checked")
		}
	}
	return nil
}

var insecureTLS = &rule{
	meta: meta("insecure-tls", scanners.High,
		"TLS certificate verification disabled",
		"Without certificate checks anyone on the network path can impersonate the server and read or change the traffic, credentials included.",
		"Keep verification on; for a private CA, add its certificate to the trust store (RootCAs, verify=\"/path/ca.pem\", ca: [...]) instead of turning checks off.",
		"CWE-295", "A07:2021 Identification and Authentication Failures",
		`&tls.Config{InsecureSkipVerify: true}`),
	sinks: []sink{
		{langs: langGo, at: atPair, names: []string{"InsecureSkipVerify"},
			when:   func(m *match) bool { return m.n.kid(0).isTrue() },
			advice: "InsecureSkipVerify: true accepts any certificate; trust the server's CA through RootCAs instead",
			fix:    func(m *match) *scanners.Fix { return m.removeFix("remove InsecureSkipVerify") }},
		{langs: langGo, at: atAssign, names: []string{"*.InsecureSkipVerify"},
			when:   func(m *match) bool { return m.n.kid(1).isTrue() },
			advice: "InsecureSkipVerify = true accepts any certificate; trust the server's CA through RootCAs instead"},
		{langs: langPython, names: []string{"requests.get", "requests.post", "requests.put", "requests.delete", "requests.head", "requests.patch", "requests.request",
			"*.Session.get", "*.session.get", "*.session.post", "httpx.get", "httpx.post", "httpx.Client", "httpx.AsyncClient", "urllib3.PoolManager"},
			when: func(m *match) bool {
				return m.n.kwarg("verify").isFalse() || strings.HasSuffix(m.n.kwarg("cert_reqs").path(), "CERT_NONE")
			},
			advice: "verify=False accepts any certificate; pass verify=\"/path/to/ca.pem\" for a private CA",
			fix:    verifyFalseFix},
		{langs: langPython, names: []string{"ssl._create_unverified_context"}, advice: "an unverified SSL context accepts any certificate; use ssl.create_default_context()",
			fix: func(m *match) *scanners.Fix {
				return m.replaceFix("use ssl.create_default_context", "_create_unverified_context(", "create_default_context(")
			}},
		{langs: langPython, at: atAssign, names: []string{"*.verify_mode", "ssl._create_default_https_context"},
			when: func(m *match) bool {
				p := m.n.kid(1).path()
				return strings.HasSuffix(p, "CERT_NONE") || strings.HasSuffix(p, "_create_unverified_context")
			},
			advice: "CERT_NONE accepts any certificate; keep ssl.CERT_REQUIRED"},
		{langs: langJS, at: atPair, names: []string{"rejectUnauthorized"},
			when:   func(m *match) bool { return m.n.kid(0).isFalse() },
			advice: "rejectUnauthorized: false accepts any certificate; pass the private CA in ca: instead",
			fix:    func(m *match) *scanners.Fix { return m.removeFix("remove rejectUnauthorized: false") }},
		{langs: langJS, at: atAssign, names: []string{"process.env.NODE_TLS_REJECT_UNAUTHORIZED"},
			when:   func(m *match) bool { return m.n.kid(1).isFalse() },
			advice: "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for the whole process"},
		{langs: langJava, at: atFunc, names: []string{"checkServerTrusted"},
			when:   func(m *match) bool { return m.n.empty && len(m.n.params) == 2 },
			advice: "a trust manager whose check does nothing trusts every certificate; use the default TrustManagerFactory with a KeyStore holding your CA"},
		{langs: langJava, at: atFunc, names: []string{"verify"},
			when:   func(m *match) bool { return len(m.n.params) == 2 && returnsTrue(m.n) },
			advice: "a HostnameVerifier that returns true accepts certificates for any host; use the default verifier"},
		{langs: langJava, names: []string{"*.setHostnameVerifier", "*.setDefaultHostnameVerifier", "*.setSSLHostnameVerifier"},
			when: func(m *match) bool {
				a := m.arg(0)
				if a == nil {
					return false
				}
				if a.k == kFunc {
					return returnsTrue(a)
				}
				s := m.text(a)
				return strings.Contains(s, "ALLOW_ALL") || strings.Contains(s, "NoopHostnameVerifier")
			},
			advice: "a HostnameVerifier that accepts every host defeats certificate checks; use the default verifier"},
	},
}
