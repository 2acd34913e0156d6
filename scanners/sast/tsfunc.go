package sast

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Java parameter annotations whose parameter carries request data.
var javaSourceAnnotations = map[string]bool{
	"RequestParam": true, "PathVariable": true, "RequestBody": true, "RequestHeader": true, "CookieValue": true,
	"QueryParam": true, "PathParam": true, "FormParam": true, "HeaderParam": true, "CookieParam": true, "MatrixVariable": true,
}

// Java parameter types that cannot carry an injection.
var javaSafeTypes = map[string]bool{
	"int": true, "long": true, "short": true, "double": true, "float": true, "boolean": true, "Integer": true, "Long": true,
	"Short": true, "Double": true, "Float": true, "Boolean": true, "UUID": true, "LocalDate": true, "LocalDateTime": true, "Instant": true,
}

// Java parameter types that are request objects.
var javaRequestTypes = map[string]bool{"HttpServletRequest": true, "ServletRequest": true, "HttpExchange": true}

// function lowers a function, method or lambda.
func (l *tsLower) function(n *sitter.Node) *node {
	fn := l.mk(kFunc, n, "")
	if name := l.fld(n, "name"); name != nil {
		fn.text = l.text(name)
		// Report functions at their name, not at leading annotations.
		s := name.StartPoint()
		fn.rng.StartLine, fn.rng.StartCol, fn.lo = int(s.Row)+1, int(s.Column)+1, int(name.StartByte())
	}
	ps := l.fld(n, "parameters")
	if ps == nil {
		ps = l.fld(n, "parameter")
	}
	if ps != nil {
		if ps.Type() == "identifier" {
			fn.params = append(fn.params, param{name: l.text(ps)})
		} else {
			for i := 0; i < int(ps.NamedChildCount()); i++ {
				fn.params = append(fn.params, l.param(ps.NamedChild(i)))
			}
		}
	}
	// Django views: the parameters after request are URL captures.
	if l.f.lang == langPython {
		for i, p := range fn.params {
			if p.name == "request" && i <= 1 {
				for j := i + 1; j < len(fn.params); j++ {
					fn.params[j].tainted = "URL parameter " + fn.params[j].name
				}
				break
			}
		}
	}
	if fn.text == "main" && l.f.lang == langJava {
		for i := range fn.params {
			fn.params[i].tainted = "command-line argument " + fn.params[i].name
		}
	}
	body := l.fld(n, "body")
	if body != nil {
		b := l.lower(body)
		if b != nil {
			fn.kids = []*node{b}
		}
		fn.empty = isEmptyBody(b)
	}
	if fn.text != "" {
		if _, dup := l.f.funcs[fn.text]; !dup {
			l.f.funcs[fn.text] = fn
		}
	}
	return fn
}

// isEmptyBody reports whether a body does nothing but return a constant.
func isEmptyBody(b *node) bool {
	switch {
	case b == nil:
		return true
	case b.k == kConst:
		return true
	case b.k == kOther && len(b.kids) == 0:
		return true
	case b.k == kOther && len(b.kids) == 1 && b.kids[0].k == kReturn:
		r := b.kids[0]
		return len(r.kids) == 0 || (len(r.kids) == 1 && r.kids[0].k == kConst)
	}
	return false
}

// param lowers one formal parameter.
func (l *tsLower) param(p *sitter.Node) param {
	switch p.Type() {
	case "identifier":
		return param{name: l.text(p)}
	case "formal_parameter", "spread_parameter":
		out := param{}
		if name := l.fld(p, "name"); name != nil {
			out.name = l.text(name)
		}
		if typ := l.fld(p, "type"); typ != nil && javaRequestTypes[l.text(typ)] {
			out.tainted = out.name
		}
		for i := 0; i < int(p.NamedChildCount()); i++ {
			m := p.NamedChild(i)
			if m.Type() != "modifiers" {
				continue
			}
			for j := 0; j < int(m.NamedChildCount()); j++ {
				a := m.NamedChild(j)
				typ := l.fld(p, "type")
				if an := l.fld(a, "name"); an != nil && javaSourceAnnotations[l.text(an)] && (typ == nil || !javaSafeTypes[l.text(typ)]) {
					out.tainted = "@" + l.text(an) + " " + out.name
				}
			}
		}
		return out
	}
	if p.Type() == "required_parameter" || p.Type() == "optional_parameter" {
		if pat := l.fld(p, "pattern"); pat != nil && pat.Type() == "identifier" {
			out := param{name: l.text(pat)}
			typ := ""
			if t := l.fld(p, "type"); t != nil {
				typ = l.text(t)
			}
			for _, c := range l.named(p) {
				if c.Type() != "decorator" || strings.Contains(typ, "number") || strings.Contains(typ, "boolean") {
					continue
				}
				d := l.text(c)
				for _, m := range []string{"@Query(", "@Param(", "@Body(", "@Headers(", "@Req(", "@Request("} {
					if strings.HasPrefix(d, m) {
						out.tainted = d + " " + out.name
					}
				}
			}
			return out
		}
	}
	for _, f := range []string{"pattern", "name", "left"} {
		if c := l.fld(p, f); c != nil && c.Type() == "identifier" {
			return param{name: l.text(c)}
		}
	}
	if p.NamedChildCount() > 0 && p.NamedChild(0).Type() == "identifier" {
		return param{name: l.text(p.NamedChild(0))}
	}
	return param{}
}

// decorated lowers a Python decorated definition; a route decorator marks
// every parameter (but self and cls) as request data.
func (l *tsLower) decorated(n *sitter.Node) *node {
	def := l.fld(n, "definition")
	if def == nil {
		return nil
	}
	d := l.lower(def)
	if d == nil || d.k != kFunc {
		return d
	}
	route := false
	for i := 0; i < int(n.NamedChildCount()); i++ {
		c := n.NamedChild(i)
		if c.Type() != "decorator" {
			continue
		}
		s := l.text(c)
		for _, m := range []string{"route(", ".get(", ".post(", ".put(", ".delete(", ".patch(", "api_view", ".websocket("} {
			if strings.Contains(s, m) {
				route = true
			}
		}
	}
	if route {
		for i, p := range d.params {
			if p.name != "self" && p.name != "cls" && p.name != "" {
				d.params[i].tainted = "route parameter " + p.name
			}
		}
	}
	return d
}
