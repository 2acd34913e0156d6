package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// openTarget keeps a redirect whose destination is not fixed to a local
// path or a constant host.
func openTarget(m *match) bool { return !m.fixedDestination(true) }

var openRedirect = &rule{
	meta: meta("open-redirect", scanners.Medium,
		"Redirect to a URL from user input",
		"A redirect target taken from the request lets an attacker send users from your trusted domain to a phishing page, or leak tokens in the URL.",
		"Redirect only to local paths (starting with a single /) or to hosts on an allowlist; otherwise fall back to a fixed page.",
		"CWE-601", "A01:2021 Broken Access Control",
		`http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound)`),
	sinks: []sink{
		{langs: langGo, names: []string{"net/http.Redirect"}, args: []int{2}, when: openTarget,
			advice: "check that the target is a local path or an allowlisted host before redirecting"},
		{langs: langGo, names: []string{"*.Redirect"}, args: []int{1},
			when:   func(m *match) bool { return len(m.n.kids) == 2 && openTarget(m) },
			advice: "check that the target is a local path or an allowlisted host before redirecting"},
		{langs: langPython, names: []string{"flask.redirect", "redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect", "HttpResponseRedirect", "RedirectResponse", "fastapi.responses.RedirectResponse"},
			args: []int{0}, kw: []string{"url", "location"}, when: openTarget,
			advice: "check the target with url_has_allowed_host_and_scheme (or require a local path) before redirecting"},
		{langs: langJS, names: []string{"*.redirect"}, args: []int{anyArg}, when: openTarget,
			advice: "check that the target is a local path or an allowlisted host before redirecting"},
		{langs: langJS, at: atAssign, names: []string{"window.location", "location.href", "window.location.href", "document.location", "location"}, value: true, when: openTarget,
			advice: "check that the target is a local path or an allowlisted host before navigating"},
		{langs: langJava, at: atReturn, names: []string{"return"}, value: true,
			when: func(m *match) bool {
				l := m.src.lead
				if !strings.HasPrefix(l, "redirect:") {
					return false
				}
				l = strings.TrimPrefix(l, "redirect:")
				return !(fixedHost.MatchString(l) || strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//"))
			},
			advice: "a \"redirect:\" view name built from input redirects anywhere; check the target is a local path first"},
		{langs: langJava, names: []string{"*.sendRedirect", "new RedirectView", "new ModelAndView"}, args: []int{0}, when: openTarget,
			advice: "check that the target is a local path or an allowlisted host before redirecting"},
	},
}
