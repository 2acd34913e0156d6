package sast

import (
	"bytes"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// match is what a sink's condition and fix see: the matched node, its
// resolved callee and the taint state at that point.
type match struct {
	a      *analysis
	e      env
	n      *node
	callee string
	src    *taint // the input that reaches the sink; a condition may set it
}

// taintOf returns the taint of n at the match.
func (m *match) taintOf(n *node) *taint { return m.a.eval(n, m.e) }

// arg returns the i-th positional argument, or nil.
func (m *match) arg(i int) *node { return m.n.kid(i) }

// context is the lower-cased text around the match that says what a value
// is for: the assignment target, the enclosing function and the call.
func (m *match) context() string {
	return strings.ToLower(m.a.target + " " + m.a.fnName + " " + m.a.snippet(m.n))
}

// imports reports whether the file imports path.
func (m *match) imports(path string) bool { return m.a.f.imports[path] }

// lang returns the file's language.
func (m *match) lang() lang { return m.a.f.lang }

// text returns the source text of n.
func (m *match) text(n *node) string {
	src := m.a.f.src
	if n == nil || n.hi <= n.lo || n.hi > len(src) {
		return ""
	}
	return string(src[n.lo:n.hi])
}

// taintedArg returns the first tainted argument the sink names.
func (m *match) taintedArg(s *sink) *taint {
	var t *taint
	for _, i := range s.args {
		if i == anyArg {
			for _, k := range m.n.kids {
				t = pick(t, m.taintOf(k))
			}
			continue
		}
		if i == recvArg {
			t = pick(t, m.taintOf(m.n.recv))
			continue
		}
		t = pick(t, m.taintOf(m.arg(i)))
	}
	for _, k := range s.kw {
		t = pick(t, m.taintOf(m.n.kwarg(k)))
	}
	return t
}

// usable reports whether taint t counts for rule r at sink s.
func usable(t *taint, r *rule, s *sink) bool {
	return t != nil && (!t.local || s.local) && !strings.Contains(t.clean, " "+strings.TrimPrefix(r.meta.ID, "sast/"))
}

func (a *analysis) checkCall(n *node, e env) {
	p := a.resolve(n.text)
	if p == "" {
		return
	}
	for _, ref := range a.idx.lookup(a.f.lang, atCall, p) {
		if matchAny(ref.s.names, p) {
			a.try(ref, &match{a: a, e: e, n: n, callee: p})
		}
	}
}

func (a *analysis) checkAssign(n *node, e env) {
	t := n.kid(0)
	if t == nil || (t.k != kMember && t.k != kName) {
		return
	}
	p := a.resolve(t.path())
	for _, ref := range a.idx.lookup(a.f.lang, atAssign, p) {
		if matchAny(ref.s.names, p) {
			a.try(ref, &match{a: a, e: e, n: n, callee: p})
		}
	}
}

func (a *analysis) checkPair(n *node, e env) {
	for _, ref := range a.idx.lookup(a.f.lang, atPair, n.text) {
		if matchAny(ref.s.names, n.text) {
			a.try(ref, &match{a: a, e: e, n: n, callee: n.text})
		}
	}
}

func (a *analysis) checkObject(n *node, e env) {
	if n.text == "" {
		return
	}
	for _, ref := range a.idx.lookup(a.f.lang, atObject, n.text) {
		if matchAny(ref.s.names, n.text) {
			a.try(ref, &match{a: a, e: e, n: n, callee: n.text})
		}
	}
}

func (a *analysis) checkReturn(n *node, e env) {
	for _, ref := range a.idx.lookup(a.f.lang, atReturn, "return") {
		a.try(ref, &match{a: a, e: e, n: n, callee: "return"})
	}
}

func (a *analysis) checkFunc(n *node, e env) {
	if n.text == "" {
		return
	}
	for _, ref := range a.idx.lookup(a.f.lang, atFunc, n.text) {
		if matchAny(ref.s.names, n.text) {
			a.try(ref, &match{a: a, e: e, n: n, callee: n.text})
		}
	}
}

// try checks a candidate sink's taint and condition and records a hit.
func (a *analysis) try(ref sinkRef, m *match) {
	if a.quiet > 0 {
		return
	}
	s := ref.s
	var t *taint
	if s.needsTaint() {
		if s.value {
			t = m.taintOf(m.n.kid(len(m.n.kids) - 1))
		} else {
			t = m.taintedArg(s)
		}
		if !usable(t, ref.r, s) {
			return
		}
	}
	m.src = t
	if s.when != nil && !s.when(m) {
		return
	}
	t = m.src
	if t != nil && !usable(t, ref.r, s) {
		return
	}
	k := hitKey{ref.r, m.n.lo}
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	a.hits = append(a.hits, hit{r: ref.r, s: s, m: m, src: t})
}

// finding turns a hit into a finding.
func (h hit) finding() scanners.Finding {
	m := h.m
	sinkText := m.text(m.n)
	if m.n.k == kCall {
		if i := strings.IndexByte(sinkText, '('); i > 0 {
			sinkText = sinkText[:i]
		}
	}
	sinkText = strings.Join(strings.Fields(sinkText), " ")
	if len(sinkText) > 60 {
		sinkText = sinkText[:57] + "…"
	}
	msg := h.s.advice
	if h.src != nil {
		via := ""
		if h.src.via != "" {
			via = " via " + h.src.via
		}
		msg = "user input from " + h.src.desc + " reaches " + sinkText + via + "; " + h.s.advice
	}
	match := scanners.NormalizeMatch(m.text(m.n))
	if len(match) > 200 {
		match = match[:200]
	}
	f := scanners.Finding{Rule: h.r.meta, Range: m.n.rng, Message: msg, Match: match}
	if h.s.fix != nil {
		f.Fix = h.s.fix(m)
	}
	return f
}

// lineOf returns the text of the 1-based line of the source.
func (m *match) lineOf(line int) (string, bool) {
	src := m.a.f.src
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(src), true
}

// replaceFix replaces old with repl in the sink's single line.
func (m *match) replaceFix(desc, old, repl string) *scanners.Fix {
	r := m.n.rng
	if r.StartLine != r.EndLine {
		return nil
	}
	line, ok := m.lineOf(r.StartLine)
	if !ok || !strings.Contains(line, old) {
		return nil
	}
	return &scanners.Fix{Description: desc, StartLine: r.StartLine, EndLine: r.EndLine, Replacement: strings.Replace(line, old, repl, 1)}
}

// removeFix deletes the matched text, with an adjoining comma, from its
// line, or the whole line when nothing else is on it.
func (m *match) removeFix(desc string) *scanners.Fix {
	r := m.n.rng
	if r.StartLine != r.EndLine {
		return nil
	}
	line, ok := m.lineOf(r.StartLine)
	if !ok {
		return nil
	}
	t := m.text(m.n)
	rest := strings.TrimSpace(strings.Replace(line, t, "", 1))
	if rest == "" || rest == "," {
		return &scanners.Fix{Description: desc, StartLine: r.StartLine, EndLine: r.EndLine}
	}
	for _, v := range []string{", " + t, ",\t" + t, "," + t, t + ", ", t + ","} {
		if strings.Contains(line, v) {
			return &scanners.Fix{Description: desc, StartLine: r.StartLine, EndLine: r.EndLine, Replacement: strings.Replace(line, v, "", 1)}
		}
	}
	return nil
}
