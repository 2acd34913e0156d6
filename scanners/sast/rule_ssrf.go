package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// notFixed keeps a request whose host is not fixed by a constant prefix.
func notFixed(m *match) bool { return !m.fixedDestination(false) }

var ssrf = &rule{
	meta: meta("ssrf", scanners.High,
		"Server-side request to a URL from user input",
		"A server that fetches a URL the sender chooses can be pointed at internal services, cloud metadata endpoints (169.254.169.254) or localhost admin ports.",
		"Fix the scheme and host in code and let input choose only a path segment or query value (escaped), or check the parsed host against an allowlist before the request.",
		"CWE-918", "A10:2021 Server-Side Request Forgery",
		`http.Get(r.URL.Query().Get("url"))`),
	sinks: []sink{
		{langs: langGo, names: []string{"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm"}, args: []int{0}, when: notFixed,
			advice: "fix the host in code, or parse the URL and check its host against an allowlist"},
		{langs: langGo, names: []string{"*.Get", "*.Post", "*.Head"}, args: []int{0},
			when: func(m *match) bool {
				return strings.Contains(strings.ToLower(m.n.recv.path()), "client") && notFixed(m)
			},
			advice: "fix the host in code, or parse the URL and check its host against an allowlist"},
		{langs: langGo, names: []string{"net/http.NewRequest"}, args: []int{1}, when: notFixed,
			advice: "fix the host in code, or parse the URL and check its host against an allowlist"},
		{langs: langGo, names: []string{"net/http.NewRequestWithContext"}, args: []int{2}, when: notFixed,
			advice: "fix the host in code, or parse the URL and check its host against an allowlist"},
		{langs: langPython, names: []string{"requests.get", "requests.post", "requests.put", "requests.delete", "requests.head", "requests.patch",
			"urllib.request.urlopen", "urllib.request.Request", "httpx.get", "httpx.post", "httpx.stream", "aiohttp.ClientSession.get", "*.session.get"},
			args: []int{0}, kw: []string{"url"}, when: notFixed,
			advice: "fix the host in code, or check urlparse(url).hostname against an allowlist"},
		{langs: langPython, names: []string{"*.get", "*.post", "*.put", "*.delete", "*.head", "*.stream"}, args: []int{0}, kw: []string{"url"},
			when: func(m *match) bool {
				r := strings.ToLower(m.n.recv.path())
				return strings.Contains(r, "client") && notFixed(m)
			},
			advice: "fix the host in code, or check urlparse(url).hostname against an allowlist"},
		{langs: langPython, names: []string{"requests.request", "httpx.request"}, args: []int{1}, kw: []string{"url"}, when: notFixed,
			advice: "fix the host in code, or check urlparse(url).hostname against an allowlist"},
		{langs: langJS, names: []string{"fetch", "node-fetch", "axios", "axios.get", "axios.post", "axios.put", "axios.delete", "axios.head", "axios.request",
			"http.get", "https.get", "http.request", "https.request", "got", "got.get", "got.post", "needle.get", "superagent.get", "request", "request.get"},
			args: []int{0}, kw: []string{"url"}, when: notFixed,
			advice: "fix the host in code, or check new URL(url).hostname against an allowlist"},
		{langs: langJava, names: []string{"new URL", "URI.create", "new URI", "*.getForObject", "*.getForEntity", "*.postForObject", "*.postForEntity", "*.exchange", "Jsoup.connect", "HttpRequest.newBuilder", "*.uri"},
			args: []int{0}, when: notFixed,
			advice: "fix the host in code, or check the parsed URI's host against an allowlist"},
	},
}
