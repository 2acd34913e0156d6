package build

import (
	"regexp"
	"strings"
)

// literal is a string literal in source code and its first line.
type literal struct {
	text   string
	line   int
	double bool // interpolating quotes (Groovy "…" / """…""")
}

var (
	tripleRe = regexp.MustCompile(`(?s)("""|''')(.*?)("""|''')`)
	quotedRe = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'`)
	shellish = regexp.MustCompile(`\b(curl|wget|iwr|Invoke-WebRequest|base64|nc|bash|sh|python3?|eval|git|pip3?|npm|chmod|GOFLAGS|GONOSUMDB|GOINSECURE|NODE_TLS_REJECT_UNAUTHORIZED)\b`)
)

// literals extracts string literals, triple-quoted ones first.
func (a *analysis) literals() []literal {
	text := a.text()
	var out []literal
	masked := []byte(text)
	for _, m := range tripleRe.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, literal{text: text[m[4]:m[5]], line: a.lineOf(m[4]), double: text[m[2]] == '"'})
		for i := m[0]; i < m[1]; i++ {
			if masked[i] != '\n' {
				masked[i] = ' '
			}
		}
	}
	for _, m := range quotedRe.FindAllSubmatchIndex(masked, -1) {
		if m[2] >= 0 {
			out = append(out, literal{text: text[m[2]:m[3]], line: a.lineOf(m[2]), double: true})
		} else {
			out = append(out, literal{text: text[m[4]:m[5]], line: a.lineOf(m[4])})
		}
	}
	return out
}

var (
	pyNetRe    = regexp.MustCompile(`\b(urlopen|urlretrieve|requests\.(get|post)|HTTPS?Connection|socket\.create_connection|reqwest::blocking::get|ureq::get)\s*\(`)
	pyExecRe   = regexp.MustCompile(`\bexec\s*\(\s*(urlopen|requests\.get|urllib\.request\.urlopen)`)
	goGenRe    = regexp.MustCompile(`^\s*//go:generate\s+(.*)$`)
	justVarRe  = regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)
	cmdclassRe = regexp.MustCompile(`\bcmdclass\s*=`)
)

// code reads setup.py, pyproject.toml, build.rs, Jenkinsfile, justfile and
// //go:generate lines.
func (a *analysis) code() {
	switch a.kind {
	case kindGo:
		for i, l := range a.lines {
			if m := goGenRe.FindStringSubmatch(l); m != nil {
				a.shell(&snippet{src: m[1], line: at(i + 1)})
			}
		}
		return
	case kindJust:
		a.justfile()
		return
	case kindPyproject:
		a.pyproject()
		return
	}
	hook := ""
	switch a.kind {
	case kindSetupPy:
		hook = "setup.py"
	case kindBuildRS:
		hook = "build.rs"
	}
	for _, lit := range a.literals() {
		if a.kind == kindJenkins && lit.double {
			for _, m := range untrustedJenkins.FindAllString(lit.text, -1) {
				a.add(ruleInjection, lit.line+strings.Count(lit.text[:strings.Index(lit.text, m)], "\n"), "inject:"+m+":"+lit.text,
					"`%s` is interpolated by Groovy into the shell command; whoever opens the pull request controls it.", m)
			}
		}
		if !shellish.MatchString(lit.text) {
			continue
		}
		src := lit.text
		if a.kind == kindJenkins {
			src = strings.ReplaceAll(src, "${env.", "${")
		}
		a.shell(&snippet{src: src, line: at(lit.line), hook: hook})
	}
	if a.kind == kindSetupPy {
		for i, l := range a.lines {
			if m := cmdclassRe.FindString(l); m != "" {
				a.add(rulePipeline, i+1, "setup-cmdclass:"+strings.Join(strings.Fields(l), " "), "setup.py overrides setuptools commands (`%s`), which run custom code on every install.", short(l))
			}
		}
	}
	if hook != "" {
		for i, l := range a.lines {
			if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.HasPrefix(strings.TrimSpace(l), "//") {
				continue
			}
			if pyExecRe.MatchString(l) {
				a.add(ruleCurlPipe, i+1, "pyexec:"+l, "%s executes code it downloads: `%s`.", hook, short(l))
			}
			if pyNetRe.MatchString(l) {
				for _, u := range urls(l) {
					a.addHost(hostOf(u), i+1, hook)
				}
				a.add(ruleInstallHook, i+1, "hooknet:"+hook+":"+l, "%s contacts the network at install or build time: `%s`.", hook, short(l))
			}
		}
	}
}

// justfile reads recipe bodies (indented lines below a recipe header).
func (a *analysis) justfile() {
	inRecipe := false
	for i, l := range a.lines {
		switch {
		case strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#"):
		case l[0] == ' ' || l[0] == '\t':
			if inRecipe {
				body := strings.TrimLeft(strings.TrimSpace(l), "@-")
				a.shell(&snippet{src: justVarRe.ReplaceAllString(body, "$${$1}"), line: at(i + 1)})
			}
		default:
			inRecipe = strings.Contains(l, ":") && !strings.Contains(l, ":=")
			if !inRecipe {
				if k, v, ok := strings.Cut(strings.TrimPrefix(l, "export "), ":="); ok {
					a.envVar(strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"'`), i+1)
				}
			}
		}
	}
}

var tomlKV = regexp.MustCompile(`^\s*([\w\-.]+)\s*=\s*["']([^"']*)["']`)

// pyproject reads index URLs and the build backend.
func (a *analysis) pyproject() {
	section := ""
	for i, l := range a.lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			section = strings.Trim(t, "[] ")
			if strings.Contains(section, "build.hooks") || strings.HasPrefix(section, "tool.pdm.build") {
				a.add(rulePipeline, i+1, "pyproject-hook:"+section, "pyproject.toml declares the build hook [%s], which runs custom code on every build from source.", section)
			}
			continue
		}
		m := tomlKV.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		switch {
		case m[1] == "build-backend":
			a.pipelineItem(i+1, "build-backend:"+m[2], "This change sets the Python build backend to %s, which runs on every install from source.", m[2])
		case m[1] == "url" && (strings.Contains(section, "source") || strings.Contains(section, "index")),
			m[1] == "index-url" || m[1] == "extra-index-url":
			a.indexOverride(i+1, section+"."+m[1], m[2], "pyproject "+section)
		}
	}
}

var (
	gradleURLRe  = regexp.MustCompile(`(?i)\b(url|uri|setUrl)\b[\s(=]*["']([^"']+)["']`)
	pomRepoOpen  = regexp.MustCompile(`<(repository|pluginRepository|snapshotRepository|mirror)>`)
	pomRepoClose = regexp.MustCompile(`</(repository|pluginRepository|snapshotRepository|mirror)>`)
	pomURLRe     = regexp.MustCompile(`<url>\s*([^<\s]+)\s*</url>`)
	xmlTextRe    = regexp.MustCompile(`<(argument|executable|commandlineArgs|exec)[^>]*>([^<]+)<`)
)

// jvm reads Gradle and Maven repositories and exec steps.
func (a *analysis) jvm() {
	inRepo := false
	for i, l := range a.lines {
		n := i + 1
		if a.kind == kindPom {
			if pomRepoOpen.MatchString(l) {
				inRepo = true
			}
			if m := pomURLRe.FindStringSubmatch(l); m != nil && inRepo {
				a.repoURL(m[1], n)
			}
			if pomRepoClose.MatchString(l) {
				inRepo = false
			}
			if m := xmlTextRe.FindStringSubmatch(l); m != nil && shellish.MatchString(m[2]) {
				a.shell(&snippet{src: m[2], line: at(n)})
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "//") {
			continue
		}
		if m := gradleURLRe.FindStringSubmatch(l); m != nil {
			a.repoURL(m[2], n)
		}
		if strings.Contains(l, "allowInsecureProtocol") && strings.Contains(l, "true") {
			a.add(ruleInsecureRepo, n, "gradle:"+l, "`allowInsecureProtocol = true` lets Gradle fetch artifacts over plain HTTP.")
		}
	}
	if a.kind == kindGradle {
		for _, lit := range a.literals() {
			if shellish.MatchString(lit.text) && !strings.HasPrefix(lit.text, "http") {
				a.shell(&snippet{src: lit.text, line: at(lit.line)})
			}
		}
	}
}

func (a *analysis) repoURL(u string, line int) {
	h := hostOf(u)
	a.addHost(h, line, "repository")
	if strings.HasPrefix(strings.ToLower(u), "http://") && !localHost(h) {
		a.add(ruleInsecureRepo, line, "repo:"+u, "Repository %s is reached over plain HTTP.", u)
	}
}
