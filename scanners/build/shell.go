package build

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// snippet is shell source embedded somewhere in a build file.
type snippet struct {
	src   string
	line  func(int) int     // snippet line (1-based) → file line
	exprs []string          // placeholder index → CI template expression
	env   map[string]string // variables set around the snippet (a step's env:)
	hook  string            // npm lifecycle hook or install-time context, "" otherwise
}

// at returns a line mapper for source starting at file line first.
func at(first int) func(int) int { return func(l int) int { return first + l - 1 } }

// command is one simple command of a shell snippet.
type command struct {
	line     int    // file line
	name     string // program base name, wrappers (sudo, env…) removed
	args     []string
	words    []*syntax.Word // the argument words, aligned with args
	raw      string         // "name args…" normalised, for messages and matches
	stdout   string         // target of a > or >> redirect, "" if none
	piped    bool           // stdout goes into a pipe
	prev     *command       // the command whose output this one reads through a pipe
	assigns  map[string]string
	sn       *snippet
	executes bool // part of a fetch-and-execute construct
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// placeholders replaces ${{ … }} expressions (and, for CircleCI, << … >>
// parameters) by ${PICKET_E<n>} parameters so that the shell parser sees
// a variable in their place; it returns the rewritten source and the
// expressions by index.
func placeholders(src string, circle bool) (string, []string) {
	var exprs []string
	repl := func(expr string) string {
		exprs = append(exprs, expr)
		return "${PICKET_E" + strconv.Itoa(len(exprs)-1) + "}"
	}
	src = exprRe.ReplaceAllStringFunc(src, func(m string) string { return repl(exprRe.FindStringSubmatch(m)[1]) })
	if circle {
		src = circleRe.ReplaceAllStringFunc(src, func(m string) string { return repl(circleRe.FindStringSubmatch(m)[1]) })
	}
	return src, exprs
}

var circleRe = regexp.MustCompile(`<<\s*((?:pipeline|parameters)\.[\w.\-]+)\s*>>`)

// expr returns the CI expression a placeholder name stands for.
func (sn *snippet) expr(name string) (string, bool) {
	n, ok := strings.CutPrefix(name, "PICKET_E")
	if !ok {
		return "", false
	}
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(sn.exprs) {
		return "", false
	}
	return sn.exprs[i], true
}

var placeholderRe = regexp.MustCompile(`\$\{PICKET_E(\d+)\}`)

// restore puts the CI expressions back in place of their placeholders,
// for messages.
func (sn *snippet) restore(s string) string {
	if len(sn.exprs) == 0 {
		return s
	}
	return placeholderRe.ReplaceAllStringFunc(s, func(m string) string {
		if e, ok := sn.expr(m[2 : len(m)-1]); ok {
			return "${{ " + e + " }}"
		}
		return m
	})
}

// shell parses a snippet and analyses its commands. A snippet that does
// not parse as a whole is retried line by line, so that one odd line
// (a template, another shell's syntax) does not hide the others.
func (a *analysis) shell(sn *snippet) {
	if strings.TrimSpace(sn.src) == "" || a.ctx.Err() != nil {
		return
	}
	if a.parser == nil {
		a.parser = syntax.NewParser(syntax.Variant(syntax.LangBash))
	}
	p := a.parser
	f, err := p.Parse(strings.NewReader(sn.src), "")
	if err == nil {
		a.shellFile1(f, sn)
		return
	}
	for i, l := range strings.Split(sn.src, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f, err := p.Parse(strings.NewReader(l), "")
		if err != nil {
			continue
		}
		first := sn.line(i + 1)
		one := *sn
		one.line = at(first)
		a.shellFile1(f, &one)
	}
}

// shellFile1 extracts the commands of a parsed snippet and checks them.
func (a *analysis) shellFile1(f *syntax.File, sn *snippet) {
	byCall := map[*syntax.CallExpr]*command{}
	var cmds []*command
	inner := map[*syntax.BinaryCmd]bool{}
	var pipes [][]*syntax.Stmt
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.Stmt:
			switch c := x.Cmd.(type) {
			case *syntax.CallExpr:
				if cmd := newCommand(c, x, sn); cmd != nil {
					byCall[c] = cmd
					cmds = append(cmds, cmd)
				}
			case *syntax.DeclClause:
				a.declAssigns(c, sn)
			case *syntax.BinaryCmd:
				if (c.Op == syntax.Pipe || c.Op == syntax.PipeAll) && !inner[c] {
					pipes = append(pipes, flattenPipe(c, inner))
				}
			}
		}
		return true
	})
	for _, stages := range pipes {
		var prev *command
		for i, st := range stages {
			first := firstCall(st, byCall)
			if first != nil && prev != nil {
				first.prev = prev
			}
			if i < len(stages)-1 {
				if last := lastCall(st, byCall); last != nil {
					last.piped = true
					prev = last
				}
			}
		}
	}
	for _, c := range cmds {
		a.cmds = append(a.cmds, c)
		for name, val := range c.assigns {
			a.envVar(name, val, c.line)
		}
		a.checkCommand(c)
	}
	for _, stages := range pipes {
		a.checkPipe(stages, byCall)
	}
}

// flattenPipe returns the stages of a pipeline, marking nested pipes.
func flattenPipe(b *syntax.BinaryCmd, inner map[*syntax.BinaryCmd]bool) []*syntax.Stmt {
	var out []*syntax.Stmt
	var rec func(s *syntax.Stmt)
	rec = func(s *syntax.Stmt) {
		if bc, ok := s.Cmd.(*syntax.BinaryCmd); ok && (bc.Op == syntax.Pipe || bc.Op == syntax.PipeAll) && len(s.Redirs) == 0 {
			inner[bc] = true
			rec(bc.X)
			rec(bc.Y)
			return
		}
		out = append(out, s)
	}
	inner[b] = true
	rec(b.X)
	rec(b.Y)
	return out
}

func calls(n syntax.Node, byCall map[*syntax.CallExpr]*command) []*command {
	var out []*command
	syntax.Walk(n, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok {
			if cmd := byCall[c]; cmd != nil {
				out = append(out, cmd)
			}
		}
		return true
	})
	return out
}

func firstCall(s *syntax.Stmt, byCall map[*syntax.CallExpr]*command) *command {
	if cs := calls(s, byCall); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

func lastCall(s *syntax.Stmt, byCall map[*syntax.CallExpr]*command) *command {
	if c, ok := s.Cmd.(*syntax.CallExpr); ok {
		return byCall[c]
	}
	cs := calls(s, byCall)
	if len(cs) > 0 {
		return cs[len(cs)-1]
	}
	return nil
}

// newCommand builds a command from a call, resolving wrappers such as
// sudo and env. A bare assignment (X=1) yields a command without a name.
func newCommand(c *syntax.CallExpr, st *syntax.Stmt, sn *snippet) *command {
	cmd := &command{line: sn.line(int(c.Pos().Line())), sn: sn, assigns: map[string]string{}}
	for _, as := range c.Assigns {
		if as.Name != nil {
			cmd.assigns[as.Name.Value] = render(as.Value)
		}
	}
	words := c.Args
	for len(words) > 0 {
		name := path.Base(render(words[0]))
		words = words[1:]
		switch name {
		case "sudo", "doas":
			for len(words) > 0 && strings.HasPrefix(render(words[0]), "-") {
				flag := render(words[0])
				words = words[1:]
				if (flag == "-u" || flag == "-g") && len(words) > 0 {
					words = words[1:]
				}
			}
			continue
		case "env":
			for len(words) > 0 {
				w := render(words[0])
				if k, v, ok := strings.Cut(w, "="); ok && !strings.HasPrefix(w, "-") {
					cmd.assigns[k] = v
				} else if !strings.HasPrefix(w, "-") {
					break
				}
				words = words[1:]
			}
			if len(words) == 0 {
				cmd.name = "env"
			}
			continue
		case "exec", "command", "nohup", "time", "builtin":
			continue
		}
		cmd.name = name
		break
	}
	for _, w := range words {
		cmd.words = append(cmd.words, w)
		cmd.args = append(cmd.args, render(w))
	}
	cmd.raw = sn.restore(strings.TrimSpace(cmd.name + " " + strings.Join(cmd.args, " ")))
	for _, r := range st.Redirs {
		if (r.Op == syntax.RdrOut || r.Op == syntax.AppOut || r.Op == syntax.RdrAll || r.Op == syntax.AppAll) && r.Word != nil {
			if r.N == nil || r.N.Value == "1" {
				cmd.stdout = render(r.Word)
			}
		}
	}
	if cmd.name == "" && len(cmd.assigns) == 0 {
		return nil
	}
	return cmd
}

// declAssigns records export/declare/readonly assignments.
func (a *analysis) declAssigns(d *syntax.DeclClause, sn *snippet) {
	for _, as := range d.Args {
		if as.Name != nil && as.Value != nil {
			a.envVar(as.Name.Value, render(as.Value), sn.line(int(as.Pos().Line())))
		}
	}
}

// render turns a word into text: literals and quotes resolved, parameter
// expansions kept as ${NAME}, substitutions as $(…) with their text.
func render(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	renderParts(&b, w.Parts)
	return b.String()
}

func renderParts(b *strings.Builder, parts []syntax.WordPart) {
	for _, p := range parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			renderParts(b, x.Parts)
		case *syntax.ParamExp:
			if x.Param != nil {
				b.WriteString("${" + x.Param.Value + "}")
			}
		case *syntax.CmdSubst:
			b.WriteString("$(" + stmtsText(x.Stmts) + ")")
		case *syntax.ProcSubst:
			b.WriteString("<(" + stmtsText(x.Stmts) + ")")
		default:
			b.WriteString("…")
		}
	}
}

func stmtsText(stmts []*syntax.Stmt) string {
	var b strings.Builder
	pr := syntax.NewPrinter(syntax.Minify(true))
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("; ")
		}
		if err := pr.Print(&b, s); err != nil {
			fmt.Fprintf(&b, "…")
		}
	}
	return strings.TrimSpace(b.String())
}

// params returns the parameter names whose values a word expands,
// outside and inside substitutions; ${#X} (a length) and ${X:+word} (a
// presence test) do not expand the value.
func params(w *syntax.Word) []string {
	var out []string
	syntax.Walk(w, func(n syntax.Node) bool {
		// A CI expression is substituted before the shell runs, so it
		// expands even inside single quotes.
		switch x := n.(type) {
		case *syntax.SglQuoted:
			for _, m := range placeholderRe.FindAllStringSubmatch(x.Value, -1) {
				out = append(out, "PICKET_E"+m[1])
			}
		case *syntax.Lit:
			for _, m := range placeholderRe.FindAllStringSubmatch(x.Value, -1) {
				out = append(out, "PICKET_E"+m[1])
			}
		}
		if p, ok := n.(*syntax.ParamExp); ok && p.Param != nil {
			if p.Length || p.Width || p.Exp != nil && (p.Exp.Op == syntax.AlternateUnset || p.Exp.Op == syntax.AlternateUnsetOrNull) {
				return true
			}
			out = append(out, p.Param.Value)
		}
		return true
	})
	return out
}

// substCalls returns the names of the commands run inside the command and
// process substitutions of a word, with their words.
func substCalls(w *syntax.Word) [][]string {
	var out [][]string
	syntax.Walk(w, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			var ws []string
			for _, a := range c.Args {
				ws = append(ws, render(a))
			}
			ws[0] = path.Base(ws[0])
			for len(ws) > 1 && (ws[0] == "sudo" || ws[0] == "command" || ws[0] == "exec") {
				ws = ws[1:]
			}
			out = append(out, ws)
		}
		return true
	})
	return out
}

// hasSubst reports whether a word contains a command or process substitution.
func hasSubst(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			found = true
		}
		return !found
	})
	return found
}
