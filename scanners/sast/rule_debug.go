package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// allInterfaces reports whether a listen address binds every interface.
func allInterfaces(n *node) bool {
	s, ok := n.constString()
	return ok && (strings.HasPrefix(s, ":") || strings.HasPrefix(s, "0.0.0.0") || strings.HasPrefix(s, "[::]") || s == "::")
}

var debugServer = &rule{
	meta: meta("debug-server", scanners.High,
		"Debug server reachable on all interfaces",
		"Werkzeug's debugger, pprof and the Node inspector execute code or expose memory; bound to 0.0.0.0 they are open to the network.",
		"Keep debug mode off outside development, and bind debug endpoints to 127.0.0.1 (or a separate, firewalled listener).",
		"CWE-489", "A05:2021 Security Misconfiguration",
		`app.run(host="0.0.0.0", debug=True)`),
	sinks: []sink{
		{langs: langPython, names: []string{"*.run"},
			when: func(m *match) bool {
				h := m.n.kwarg("host")
				return m.n.kwarg("debug").isTrue() && h != nil && allInterfaces(h)
			},
			advice: "the Werkzeug debugger runs arbitrary code for whoever reaches it; drop debug=True or bind to 127.0.0.1"},
		{langs: langGo, names: []string{"net/http.ListenAndServe"},
			when: func(m *match) bool {
				s, _ := m.arg(1).constString()
				return m.imports("net/http/pprof") && allInterfaces(m.arg(0)) && (m.arg(1) == nil || s == "nil")
			},
			advice: "net/http/pprof registers on the default mux, now served on every interface; serve pprof on a 127.0.0.1 listener"},
		{langs: langJS, names: []string{"inspector.open", "node:inspector.open"},
			when:   func(m *match) bool { return allInterfaces(m.arg(1)) },
			advice: "the inspector runs arbitrary code; bind it to 127.0.0.1"},
		{langs: langJava, names: []string{"@EnableWebSecurity"},
			when:   func(m *match) bool { return m.n.kwarg("debug").isTrue() },
			advice: "Spring Security debug logs requests and sessions; keep it off outside development"},
	},
}
