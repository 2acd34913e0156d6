package sast

// Sources, sanitisers and guards per language. Paths are matched with
// matchPath after import aliases are resolved.

// source is a path whose value is user input.
type source struct {
	path  string
	local bool // environment or command line: controlled by whoever runs the program
}

var sources = map[lang][]source{
	langGo: {
		{path: "os.Getenv", local: true}, {path: "os.LookupEnv", local: true}, {path: "os.Args", local: true},
		{path: "flag.Arg", local: true}, {path: "flag.Args", local: true},
		{path: "github.com/gorilla/mux.Vars"}, {path: "net/http.Request"},
	},
	langPython: {
		{path: "request.args"}, {path: "request.form"}, {path: "request.values"}, {path: "request.json"},
		{path: "request.get_json"}, {path: "request.data"}, {path: "request.cookies"}, {path: "request.headers"},
		{path: "request.files"}, {path: "request.GET"}, {path: "request.POST"}, {path: "request.body"},
		{path: "request.query_params"}, {path: "request.path_params"}, {path: "request.META"},
		{path: "os.environ", local: true}, {path: "os.getenv", local: true}, {path: "os.environ.get", local: true},
		{path: "sys.argv", local: true}, {path: "input", local: true},
	},
	langJS: {
		{path: "req.query"}, {path: "req.body"}, {path: "req.params"}, {path: "req.headers"}, {path: "req.cookies"},
		{path: "req.url"}, {path: "req.originalUrl"}, {path: "req.path"}, {path: "req.get"}, {path: "req.header"},
		{path: "request.query"}, {path: "request.body"}, {path: "request.params"}, {path: "request.headers"},
		{path: "ctx.query"}, {path: "ctx.params"}, {path: "ctx.request.body"}, {path: "ctx.request.query"},
		{path: "location.hash"}, {path: "location.search"}, {path: "location.href"}, {path: "document.URL"},
		{path: "document.referrer"}, {path: "document.cookie"}, {path: "searchParams.get"},
		{path: "process.env", local: true}, {path: "process.argv", local: true},
	},
	langJava: {
		{path: "*.getParameter"}, {path: "*.getParameterValues"}, {path: "*.getParameterMap"}, {path: "*.getHeader"},
		{path: "*.getQueryString"}, {path: "*.getRequestURI"}, {path: "*.getPathInfo"}, {path: "*.getCookies"},
		{path: "*.getInputStream"}, {path: "*.getReader"},
		{path: "System.getenv", local: true}, {path: "System.getProperty", local: true},
	},
}

// sanitisers return a value that no longer carries the input's danger:
// numbers and URL-escaped text for every rule. Others only neutralise one
// class and are listed in sanitisersFor: a bare file name still injects a
// shell command, HTML escaping does not make SQL safe.
var sanitisers = map[lang][]string{
	langGo: {
		"strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat", "strconv.ParseBool", "strconv.Itoa",
		"strconv.Quote", "net/url.QueryEscape", "net/url.PathEscape", "len", "github.com/google/uuid.Parse",
		"github.com/google/uuid.MustParse", "*.Context",
	},
	langPython: {"int", "float", "bool", "len", "urllib.parse.quote", "quote", "uuid.UUID", "*.isdigit"},
	langJS:     {"parseInt", "parseFloat", "Number", "Boolean", "encodeURIComponent", "*.length", "*.escapeId"},
	langJava: {
		"Integer.parseInt", "Integer.valueOf", "Long.parseLong", "Long.valueOf", "UUID.fromString", "*.size", "*.length",
		// request metadata that the client does not choose freely
		"*.getContextPath", "*.getSession", "*.getMethod", "*.getLocale", "*.getUserPrincipal", "*.getRemoteUser", "*.getServletContext",
	},
}

// sanitisersFor are sanitisers that make a value safe for one rule only,
// keyed by rule name.
var sanitisersFor = map[string]map[lang][]string{
	"path-traversal": {
		langGo:     {"path/filepath.Base", "path.Base"},
		langPython: {"os.path.basename", "secure_filename", "werkzeug.utils.secure_filename"},
		langJS:     {"path.basename", "*.basename"},
		langJava:   {"FilenameUtils.getName", "*.getFileName"},
	},
	"xss": {
		langGo: {"html.EscapeString", "html/template.HTMLEscapeString", "text/template.HTMLEscapeString", "html/template.JSEscapeString",
			"*.Sanitize", "*.SanitizeBytes"},
		langPython: {"html.escape", "markupsafe.escape", "escape", "bleach.clean", "*.escape"},
		langJS:     {"escape", "escapeHtml", "*.escape", "*.sanitize", "sanitizeHtml", "*.encode", "xss"},
		langJava:   {"*.escapeHtml4", "*.htmlEscape", "Encode.forHtml", "*.encodeForHTML"},
	},
	"command-injection": {
		langPython: {"shlex.quote", "pipes.quote"},
		langJS:     {"shellescape", "*.quote", "shell-quote.quote"},
	},
	"sql-injection": {
		langJS:   {"*.escape", "mysql.escape", "*.format"},
		langJava: {"*.encodeForSQL"},
	},
}

// guards are checks that, once made on a value, end its taint for the
// rest of the function: a prefix check after cleaning a path, membership
// in a constant allowlist. The int is the argument checked (-1: receiver).
var guards = map[lang]map[string]int{
	langGo: {
		"strings.HasPrefix": 0, "strings.Contains": 0, "slices.Contains": 1, "path/filepath.IsLocal": 0,
		"regexp.MatchString": 1, "*.MatchString": 0,
	},
	langPython: {"*.startswith": -1, "*.match": 0, "*.fullmatch": 0, "os.path.commonpath": 0},
	langJS:     {"*.startsWith": -1, "*.includes": 0, "*.has": 0, "*.test": 0},
	langJava:   {"*.startsWith": -1, "*.contains": 0, "*.matches": -1},
}
