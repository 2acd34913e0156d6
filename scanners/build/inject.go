package build

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/scanners"
)

// injection reports untrusted ${{ … }} expressions pasted into a script
// (run: or github-script's script:), with a mechanical fix that moves them
// into env: when the step has none.
func (a *analysis) injection(n, step *yaml.Node, field string) {
	text, lineOf := a.scalarText(n)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var bad []string
	for i, l := range lines {
		for _, m := range exprRe.FindAllStringSubmatch(l, -1) {
			if !isUntrustedExpr(m[1]) {
				continue
			}
			bad = append(bad, m[1])
			f := a.add(ruleInjection, lineOf(i+1), "inject:"+m[1]+":"+l,
				"`${{ %s }}` is pasted into the %s: script before it runs; whoever controls it can inject commands.", m[1], field)
			if f != nil && field == "run" {
				f.Fix = a.envFix(n, step, bad)
			}
		}
	}
}

var envNameRe = regexp.MustCompile(`[^A-Z0-9]+`)

// envName derives a variable name from an expression
// (github.event.pull_request.title → PULL_REQUEST_TITLE).
func envName(expr string) string {
	parts := strings.Split(strings.TrimPrefix(strings.TrimPrefix(expr, "github.event."), "github."), ".")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Trim(envNameRe.ReplaceAllString(strings.ToUpper(strings.Join(parts, "_")), "_"), "_")
}

// envFix rewrites a run: step so that the expressions come in through
// env: and are expanded by the shell, quoted. It returns nil when the
// step already has env: or its layout is not one it can rewrite safely.
func (a *analysis) envFix(run, step *yaml.Node, exprs []string) *scanners.Fix {
	if val(step, "env") != nil {
		return nil
	}
	key, _ := get(step, "run")
	if key == nil || key.Line < 1 || key.Line > len(a.lines) {
		return nil
	}
	end := key.Line
	if run.Style&yaml.LiteralStyle != 0 {
		end = key.Line + len(strings.Split(strings.TrimSuffix(run.Value, "\n"), "\n"))
	} else if run.Line != key.Line || run.Style&yaml.FoldedStyle != 0 {
		return nil
	}
	if end > len(a.lines) {
		return nil
	}
	first := a.lines[key.Line-1]
	if key.Column-1 > len(first) {
		return nil
	}
	prefix := first[:key.Column-1]
	pad := strings.Repeat(" ", len(prefix))
	var b strings.Builder
	b.WriteString(prefix + "env:\n")
	seen := map[string]bool{}
	for _, e := range exprs {
		if !seen[e] {
			seen[e] = true
			fmt.Fprintf(&b, "%s  %s: ${{ %s }}\n", pad, envName(e), e)
		}
	}
	for i := key.Line; i <= end; i++ {
		l := a.lines[i-1]
		if i == key.Line {
			l = pad + l[len(prefix):]
		}
		b.WriteString(replaceExprs(l, seen) + "\n")
	}
	if mask(b.String()) != b.String() {
		return nil // the lines carry something that looks like a credential: never echo it
	}
	return &scanners.Fix{
		Description: "Pass the untrusted value through env: and quote it in the script.",
		StartLine:   key.Line,
		EndLine:     end,
		Replacement: strings.TrimSuffix(b.String(), "\n"),
	}
}

// replaceExprs replaces the given expressions on a line by shell
// variables, quoted unless already inside double quotes.
func replaceExprs(l string, exprs map[string]bool) string {
	var b strings.Builder
	last := 0
	for _, loc := range exprRe.FindAllStringSubmatchIndex(l, -1) {
		e := l[loc[2]:loc[3]]
		if !exprs[e] {
			continue
		}
		b.WriteString(l[last:loc[0]])
		v := "${" + envName(e) + "}"
		if strings.Count(l[:loc[0]], `"`)%2 == 0 {
			v = `"` + v + `"`
		}
		b.WriteString(v)
		last = loc[1]
	}
	b.WriteString(l[last:])
	return b.String()
}

// checkGitHubEnv reports untrusted values written to GITHUB_ENV,
// GITHUB_PATH or GITHUB_OUTPUT.
func (a *analysis) checkGitHubEnv(c *command) {
	target := c.stdout
	writer := c
	if strings.ToLower(c.name) == "tee" {
		target = strings.Join(c.args, " ")
		if c.prev == nil {
			return
		}
		writer = c.prev
	}
	var file string
	for _, f := range []string{"GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"} {
		if strings.Contains(target, f) {
			file = f
		}
	}
	if file == "" {
		return
	}
	for _, w := range writer.words {
		for _, p := range params(w) {
			src := ""
			if e, ok := c.sn.expr(p); ok {
				if isUntrustedExpr(e) {
					src = "${{ " + e + " }}"
				}
			} else if v, ok := c.sn.env[p]; ok {
				for _, m := range exprRe.FindAllStringSubmatch(v, -1) {
					if isUntrustedExpr(m[1]) {
						src = "$" + p + " (from " + m[1] + ")"
					}
				}
			}
			if src != "" {
				a.add(ruleEnvInjection, c.line, "ghenv:"+file+":"+writer.raw, "`%s` writes %s to %s; a newline in it defines arbitrary variables for later steps.", writer.name, src, file)
				return
			}
		}
	}
}
