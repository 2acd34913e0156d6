package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

var xss = &rule{
	meta: meta("xss", scanners.High,
		"User input written into HTML without escaping",
		"Markup built from input runs the sender's script in other users' browsers: it can steal sessions, act as the user or rewrite the page.",
		"Let the template engine escape (html/template, Jinja autoescape, JSX text, textContent), or escape explicitly (html.EscapeString, html.escape, a sanitiser such as DOMPurify) before marking anything as safe HTML.",
		"CWE-79", "A03:2021 Injection",
		`el.innerHTML = location.hash.slice(1)`),
	sinks: []sink{
		{langs: langGo, names: []string{"html/template.HTML", "html/template.JS", "html/template.HTMLAttr", "html/template.URL", "html/template.CSS", "html/template.JSStr"},
			args: []int{0}, advice: "pass the plain string to the template and let html/template escape it"},
		{langs: langGo, names: []string{"fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString", "*.Write", "*.WriteString"}, args: []int{anyArg},
			when: func(m *match) bool {
				if m.n.recv == nil && !isResponseWriter(m.arg(0)) {
					return false
				}
				if m.n.recv != nil && !isResponseWriter(m.n.recv) {
					return false
				}
				if f, ok := m.arg(1).constString(); ok && strings.Contains(f, "<") {
					return true
				}
				return m.htmlish()
			},
			advice: "render with html/template, or escape with html.EscapeString"},
		{langs: langPython, names: []string{"markupsafe.Markup", "flask.Markup", "Markup", "django.utils.safestring.mark_safe", "mark_safe", "django.utils.html.format_html"},
			args: []int{0}, advice: "escape first (markupsafe.escape / html.escape) or let the template autoescape it"},
		{langs: langPython, names: []string{"flask.make_response", "make_response", "django.http.HttpResponse", "HttpResponse", "flask.Response", "Response"}, args: []int{0},
			when: (*match).htmlish, advice: "render a template with autoescaping, or escape with html.escape"},
		{langs: langPython, at: atReturn, names: []string{"return"}, value: true,
			when: func(m *match) bool {
				// The view returns the markup itself, not a call's result.
				v := m.n.kid(len(m.n.kids) - 1)
				built := v != nil && (v.k == kFormat || v.k == kConcat || v.k == kName)
				return built && m.htmlish() && strings.Contains(m.src.frag, "</")
			},
			advice: "a view returning HTML built from input is rendered by the browser; use render_template (autoescaped) or html.escape"},
		{langs: langJS, at: atAssign, names: []string{"*.innerHTML", "*.outerHTML"}, value: true,
			advice: "assign textContent instead, or sanitise with DOMPurify.sanitize"},
		{langs: langJS, names: []string{"document.write", "document.writeln", "$.html", "jQuery.html", "$.append", "$.prepend"}, args: []int{0},
			advice: "build DOM nodes with textContent, or sanitise with DOMPurify.sanitize"},
		{langs: langJS, names: []string{"*.insertAdjacentHTML"}, args: []int{1}, advice: "use insertAdjacentText, or sanitise with DOMPurify.sanitize"},
		{langs: langJS, at: atPair, names: []string{"__html"}, value: true, advice: "render the value as JSX text, or sanitise with DOMPurify.sanitize"},
		{langs: langJS, names: []string{"*.send", "*.write", "*.end"}, args: []int{0},
			when:   func(m *match) bool { return isResponseWriter(m.n.recv) && m.htmlish() },
			advice: "render with an escaping template engine, or escape the value first"},
		{langs: langJava, names: []string{"*.print", "*.println", "*.write", "*.append", "*.printf", "*.format"}, args: []int{anyArg},
			when: func(m *match) bool {
				p := m.n.recv.path()
				return !strings.HasPrefix(p, "System.") && (strings.Contains(m.callee, "getWriter") || isResponseWriter(m.n.recv)) && m.htmlish()
			},
			advice: "escape with an encoder (Encode.forHtml, HtmlUtils.htmlEscape) or use an escaping template"},
	},
}

// isResponseWriter guesses from its name whether a value is an HTTP
// response writer.
func isResponseWriter(n *node) bool {
	if n == nil {
		return false
	}
	p := n.path()
	switch base(p) {
	case "w", "rw", "res", "resp", "response", "writer", "out", "getWriter":
		return true
	}
	return false
}
