package build

import (
	"regexp"
	"strings"
)

// makeVarRe matches make variable references $(NAME) and ${NAME}.
var makeVarRe = regexp.MustCompile(`\$[({]([A-Za-z_@<^*?%][A-Za-z0-9_.]*)[)}]`)

// makeShellRe matches the $(shell …) function.
var makeShellRe = regexp.MustCompile(`\$\(shell\s+`)

// toShell turns make text into shell text: $$ becomes $, $(shell x)
// becomes $(x), and make variables become shell parameters.
func toShell(s string) string {
	s = makeShellRe.ReplaceAllString(s, "$(")
	s = makeVarRe.ReplaceAllStringFunc(s, func(m string) string {
		name := makeVarRe.FindStringSubmatch(m)[1]
		if strings.ContainsAny(name, "@<^*?%.") {
			return "MAKEVAR"
		}
		return "${" + name + "}"
	})
	s = strings.ReplaceAll(s, "$$", "$")
	return s
}

// makefile reads recipes (tab-indented lines after a rule, with backslash
// continuations), $(shell …) calls and exported variables.
//
// All recipe lines go into one snippet, each at its own line, blank lines
// elsewhere, so that the shell parser runs once per file; a snippet that
// does not parse is retried line by line (analysis.shell).
func (a *analysis) makefile() {
	recipes := make([]string, len(a.lines))
	defer func() { a.shell(&snippet{src: strings.Join(recipes, "\n"), line: at(1)}) }()
	inRule := false
	for i := 0; i < len(a.lines); i++ {
		l := a.lines[i]
		first := i + 1
		// Join continuation lines into one logical line, keeping newlines
		// so that the shell parser's line numbers map back.
		logical := l
		for strings.HasSuffix(logical, "\\") && i+1 < len(a.lines) {
			i++
			logical += "\n" + strings.TrimLeft(a.lines[i], "\t")
		}
		switch {
		case strings.HasPrefix(l, "\t") && inRule:
			body := strings.TrimLeft(logical, "\t")
			body = strings.TrimLeft(body, "@-+ ")
			for j, l := range strings.Split(toShell(body), "\n") {
				recipes[first-1+j] = l
			}
		case strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#"):
		default:
			trimmed := strings.TrimSpace(logical)
			if isMakeAssign(trimmed) {
				a.makeAssign(trimmed, first)
				continue
			}
			if j := strings.Index(trimmed, ":"); j > 0 && !strings.HasPrefix(trimmed, "ifeq") && !strings.HasPrefix(trimmed, "define") {
				inRule = true
				if k := strings.Index(trimmed, ";"); k > j {
					a.shell(&snippet{src: toShell(trimmed[k+1:]), line: at(first)})
				}
				continue
			}
			if strings.Contains(trimmed, "$(shell") {
				a.shellCalls(trimmed, first)
			}
		}
	}
}

func isMakeAssign(s string) bool {
	s = strings.TrimPrefix(s, "export ")
	s = strings.TrimPrefix(s, "override ")
	i := strings.IndexAny(s, "=:")
	if i <= 0 {
		return false
	}
	if s[i] == '=' {
		return true
	}
	return strings.HasPrefix(s[i:], ":=") || strings.HasPrefix(s[i:], "::=")
}

// makeAssign checks NAME = value and runs $(shell …) in the value.
func (a *analysis) makeAssign(s string, line int) {
	exported := strings.HasPrefix(s, "export ")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "export "), "override ")
	i := strings.IndexAny(s, "?:+!=")
	name := strings.TrimSpace(s[:i])
	rest := strings.TrimLeft(s[i:], "?:+!")
	value := strings.TrimSpace(strings.TrimPrefix(rest, "="))
	if exported || strings.HasPrefix(name, "GO") || strings.Contains(name, "TLS") || strings.Contains(name, "SSL") || strings.HasPrefix(name, "PIP_") || strings.HasPrefix(name, "NPM_") {
		a.envVar(name, value, line)
	}
	if strings.Contains(value, "$(shell") {
		a.shellCalls(value, line)
	}
}

// shellCalls analyses the commands of every $(shell …) in make text.
func (a *analysis) shellCalls(s string, line int) {
	for _, loc := range makeShellRe.FindAllStringIndex(s, -1) {
		depth, j := 1, loc[1]
		for ; j < len(s) && depth > 0; j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if depth == 0 {
			a.shell(&snippet{src: toShell(s[loc[1] : j-1]), line: at(line)})
		}
	}
}
