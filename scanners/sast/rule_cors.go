package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// wildcard reports whether an origins value is "*" or a list holding it.
func wildcard(n *node) bool {
	if n == nil {
		return false
	}
	if n.isTrue() {
		return true
	}
	for _, s := range n.consts() {
		if s == "*" {
			return true
		}
	}
	return false
}

// reflectsOrigin keeps a header write that echoes a request value into
// Access-Control-Allow-Origin in a function that also allows credentials.
func reflectsOrigin(m *match) bool {
	h, _ := m.arg(0).constString()
	if !strings.EqualFold(h, "Access-Control-Allow-Origin") {
		return false
	}
	t := m.taintOf(m.arg(1))
	if t == nil || t.local {
		return false
	}
	m.src = t
	return m.srcContains("Access-Control-Allow-Credentials")
}

var corsCredentials = &rule{
	meta: meta("cors-credentials", scanners.High,
		"CORS allows any origin together with credentials",
		"When any origin (or the request's own Origin) is allowed with credentials, every website the user visits can call the API with the user's cookies and read the answers.",
		"List the trusted origins explicitly when credentials are allowed, or drop credentials for a public API.",
		"CWE-942", "A05:2021 Security Misconfiguration",
		`cors({ origin: true, credentials: true })`),
	sinks: []sink{
		{langs: langGo, at: atObject, names: []string{"github.com/rs/cors.Options", "github.com/gin-contrib/cors.Config"},
			when: func(m *match) bool {
				if !m.n.kwarg("AllowCredentials").isTrue() {
					return false
				}
				if wildcard(m.n.kwarg("AllowedOrigins")) || m.n.kwarg("AllowAllOrigins").isTrue() {
					return true
				}
				f := m.n.kwarg("AllowOriginFunc")
				return f != nil && f.k == kFunc && returnsTrue(f)
			},
			advice: "any origin may send credentialed requests; list the trusted origins in AllowedOrigins"},
		{langs: langGo, names: []string{"*.Header.Set", "*.Header.Add"}, when: reflectsOrigin,
			advice: "the request's Origin is echoed with credentials allowed; compare it with an allowlist first"},
		{langs: langPython, names: []string{"flask_cors.CORS", "flask_cors.cross_origin"},
			when: func(m *match) bool {
				o := m.n.kwarg("origins")
				return m.n.kwarg("supports_credentials").isTrue() && (o == nil || wildcard(o))
			},
			advice: "supports_credentials with any origin lets every site read user data; pass origins=[…trusted origins]"},
		{langs: langPython, at: atAssign, names: []string{"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"},
			when: func(m *match) bool {
				return m.n.kid(1).isTrue() && (m.srcContains("CORS_ALLOW_CREDENTIALS = True") || m.srcContains("CORS_ALLOW_CREDENTIALS=True"))
			},
			advice: "CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS lets every site read user data; list CORS_ALLOWED_ORIGINS"},
		{langs: langJS, names: []string{"cors"},
			when: func(m *match) bool {
				o := m.n.kwarg("origin")
				return m.n.kwarg("credentials").isTrue() && o != nil && (o.isTrue() || (o.k == kFunc && o.empty))
			},
			advice: "origin: true reflects every origin with credentials; pass the list of trusted origins"},
		{langs: langJS, names: []string{"*.setHeader", "*.header", "*.set", "*.append"}, when: reflectsOrigin,
			advice: "the request's Origin is echoed with credentials allowed; compare it with an allowlist first"},
		{langs: langJava, names: []string{"@CrossOrigin"},
			when: func(m *match) bool {
				c, _ := m.n.kwarg("allowCredentials").constString()
				o := m.n.kwarg("origins")
				if o == nil {
					o = m.n.kwarg("value")
				}
				return c == "true" && (wildcard(o) || wildcard(m.n.kwarg("originPatterns")))
			},
			advice: "allowCredentials with any origin lets every site read user data; list the trusted origins"},
		{langs: langJava, names: []string{"*.addAllowedOriginPattern", "*.addAllowedOrigin", "*.allowedOriginPatterns", "*.setAllowedOriginPatterns", "*.setAllowedOrigins", "*.allowedOrigins"},
			when: func(m *match) bool {
				return wildcard(m.arg(0)) && m.fnHasCallOn(rootName(m.n.recv), true, "setAllowCredentials", "allowCredentials")
			},
			advice: "credentials are allowed for any origin; list the trusted origins"},
		{langs: langJava, names: []string{"*.setHeader", "*.addHeader"}, when: reflectsOrigin,
			advice: "the request's Origin is echoed with credentials allowed; compare it with an allowlist first"},
	},
}
