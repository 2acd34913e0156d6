package sast

import (
	"strings"
)

// taint describes user input held by a value.
type taint struct {
	desc  string // where it came from: `r.FormValue("id")`
	via   string // how it was built into the value: "string concatenation", "formatting"
	obj   bool   // the value is a request object: reading from it is reading input
	local bool   // environment or command line rather than a request
	frag  string // the constant text the value was built with ("SELECT … WHERE id = ")
	clean string // rules the value was sanitised for (" path-traversal xss")
	lead  string // the leading constant of the value ("https://api.example.com/")
}

// built returns t as part of a value built by n.
func (a *analysis) built(t *taint, n *node, via string) *taint {
	c := *t
	c.obj = false
	if c.via == "" {
		c.via = via
	}
	c.frag = strings.TrimSpace(t.frag + " " + strings.Join(n.consts(), " "))
	for _, k := range n.kids { // sql += …: the constant the variable held
		if k != nil && k.k == kName {
			c.frag += " " + a.leads[k.text]
		}
	}
	c.lead = a.leadOf(n)
	return &c
}

// leadOf is node.lead following variables assigned a constant prefix.
func (a *analysis) leadOf(n *node) string {
	for n != nil && (n.k == kConcat || n.k == kFormat) {
		n = n.kid(0)
	}
	if n != nil && n.k == kName {
		return a.leads[n.text]
	}
	if n != nil && n.k == kCall && (base(n.text) == "Sprintf" || base(n.text) == "format") {
		if l := n.lead(); l != "" {
			return l
		}
	}
	return n.lead()
}

// env maps variable paths to their taint within one function; a nested
// function's env reads through to its parent's (closures) and writes its own.
type env = *scope

type scope struct {
	vars   map[string]*taint
	parent *scope
}

func newEnv(parent *scope) *scope { return &scope{vars: map[string]*taint{}, parent: parent} }

// get returns the taint bound to a path (nil: bound and clean) and
// whether the path is bound at all.
func (e *scope) get(k string) (*taint, bool) {
	for s := e; s != nil; s = s.parent {
		if t, ok := s.vars[k]; ok {
			return t, true
		}
	}
	return nil, false
}

func (e *scope) set(k string, t *taint) { e.vars[k] = t }

// analysis walks one file.
type analysis struct {
	f       *file
	idx     index
	hits    []hit
	seen    map[hitKey]bool
	summary map[*node]int8    // helper → 1: returns its parameters' taint, 2: does not, 3: in progress
	quiet   int               // >0 while computing a helper summary: report nothing
	ret     *taint            // taint returned by the function being summarised
	fnName  string            // enclosing function name
	target  string            // enclosing assignment target
	curFn   *node             // enclosing function
	leads   map[string]string // variable → leading constant of its value
}

type hitKey struct {
	rule *rule
	lo   int
}

// hit is one matched sink.
type hit struct {
	r   *rule
	s   *sink
	m   *match
	src *taint
}

func newAnalysis(f *file, idx index) *analysis {
	return &analysis{f: f, idx: idx, seen: map[hitKey]bool{}, summary: map[*node]int8{}, leads: map[string]string{}}
}

// resolve rewrites the first segment of a path through the file's import
// aliases (Go paths are resolved by the frontend already).
func (a *analysis) resolve(p string) string {
	if a.f.lang == langGo || p == "" {
		return p
	}
	head, rest, dotted := strings.Cut(p, ".")
	if full, ok := a.f.aliases[head]; ok {
		if dotted {
			return full + "." + rest
		}
		return full
	}
	return p
}

// function analyses a function body with the given environment.
func (a *analysis) function(fn *node, e env) {
	for _, p := range fn.params {
		if p.tainted != "" {
			e.set(p.name, &taint{desc: p.tainted, obj: true})
		} else if p.name != "" {
			e.set(p.name, nil)
		}
	}
	prev, prevFn := a.fnName, a.curFn
	if fn.text != "" {
		a.fnName = fn.text
	}
	a.curFn = fn
	for _, k := range fn.kids {
		a.visit(k, e)
	}
	a.fnName, a.curFn = prev, prevFn
}

// visit walks statements and expressions in source order, binding taint
// on assignments and checking sinks.
func (a *analysis) visit(n *node, e env) {
	if n == nil {
		return
	}
	switch n.k {
	case kFunc:
		a.checkFunc(n, e)
		a.function(n, newEnv(e))
		return
	case kAssign:
		prev := a.target
		a.target = n.kid(0).path()
		a.visit(n.kid(1), e)
		a.target = prev
		t := a.eval(n.kid(1), e)
		a.bind(n.kid(0), t, e)
		if tg := n.kid(0); tg != nil && tg.k == kName {
			a.leads[tg.text] = a.leadOf(n.kid(1))
		}
		a.checkAssign(n, e)
		return
	case kFor:
		a.visit(n.kid(1), e)
		t := a.eval(n.kid(1), e)
		if t != nil {
			t = &taint{desc: t.desc, via: t.via, local: t.local}
		}
		a.bind(n.kid(0), t, e)
		for _, k := range n.kids[2:] {
			a.visit(k, e)
		}
		return
	case kReturn:
		for _, k := range n.kids {
			a.visit(k, e)
			if t := a.eval(k, e); t != nil && a.ret == nil {
				a.ret = t
			}
		}
		if len(n.kids) > 0 {
			a.checkReturn(n, e)
		}
		return
	case kCompare:
		for _, k := range n.kids {
			a.visit(k, e)
		}
		if strings.HasSuffix(n.text, "in") && n.text != "instanceof" {
			a.untaint(n.kid(0), e)
		}
		return
	}
	a.visit(n.recv, e)
	for _, k := range n.kids {
		a.visit(k, e)
	}
	for _, k := range n.kw {
		a.visit(k, e)
	}
	switch n.k {
	case kCall:
		a.mutate(n, e)
		a.checkCall(n, e)
		if _, ok := a.lookupGuard(a.resolve(n.text)); ok {
			a.untaint(n.recv, e)
			for _, k := range n.kids {
				a.untaint(k, e)
			}
		}
	case kPair:
		a.checkPair(n, e)
	case kObject:
		a.checkObject(n, e)
	}
}

// mutators are methods that add their arguments to the receiver: a
// builder or list that receives input carries it.
var mutators = map[string]bool{
	"WriteString": true, "Write": true, "WriteByte": true, "WriteRune": true, "append": true, "extend": true,
	"push": true, "add": true, "addAll": true, "put": true, "insert": true, "concat": true, "write": true,
}

func (a *analysis) mutate(n *node, e env) {
	if n.recv == nil || !mutators[base(n.text)] {
		return
	}
	p := n.recv.path()
	if p == "" || n.recv.k == kCall {
		return
	}
	var t *taint
	for _, k := range n.kids {
		t = pick(t, a.eval(k, e))
	}
	if t != nil {
		if cur, _ := e.get(p); cur == nil {
			e.set(p, a.built(t, n, "string building"))
		}
	}
}

func (a *analysis) lookupGuard(p string) (int, bool) {
	b := strings.ToLower(strings.ReplaceAll(base(p), "_", ""))
	for _, pre := range []string{"issafe", "isallowed", "isvalid", "validate", "urlhasallowedhostandscheme", "isrelative", "islocal"} {
		if strings.HasPrefix(b, pre) {
			return 0, true
		}
	}
	for pat, i := range guards[a.f.lang] {
		if matchPath(pat, p) {
			return i, true
		}
	}
	return 0, false
}

// untaint ends the taint of the variable a guard checked.
func (a *analysis) untaint(n *node, e env) {
	for n != nil && (n.k == kCall || n.k == kMember || n.k == kIndex) {
		if p := n.path(); p != "" {
			e.set(p, nil)
		}
		if n.k == kCall {
			if n.recv == nil && len(n.kids) > 0 { // filepath.Clean(p)
				n = n.kids[0]
				continue
			}
			n = n.recv
		} else {
			n = n.kid(0)
		}
	}
	if n != nil && n.k == kName {
		e.set(n.text, nil)
	}
}

// bind assigns taint to an assignment target.
func (a *analysis) bind(target *node, t *taint, e env) {
	if target == nil {
		return
	}
	switch target.k {
	case kName, kMember:
		e.set(target.path(), t)
	case kIndex:
		if t != nil { // m["k"] = input taints m
			if p := target.kid(0).path(); p != "" {
				e.set(p, t)
			}
		}
	case kOther, kObject:
		for _, k := range target.kids {
			a.bind(k, t, e)
		}
	}
}

// isSource returns the taint of a source path, or nil.
func (a *analysis) isSource(n *node, p string) *taint {
	if p == "" {
		return nil
	}
	for _, s := range sources[a.f.lang] {
		if matchPath(s.path, p) {
			// A source read as a value (request.args, os.Args) is an
			// object: what is read from it names the input better.
			return &taint{desc: a.snippet(n), local: s.local, obj: n.k != kCall}
		}
	}
	return nil
}

// sanitisedFor returns the rules a class-specific sanitiser neutralises.
func (a *analysis) sanitisedFor(p string) string {
	if p == "" {
		return ""
	}
	var out string
	for rule, m := range sanitisersFor {
		if matchAny(m[a.f.lang], p) {
			out += " " + rule
		}
	}
	return out
}

func (a *analysis) isSanitiser(p string) bool {
	return p != "" && matchAny(sanitisers[a.f.lang], p)
}

// snippet returns a short source excerpt of n for messages.
func (a *analysis) snippet(n *node) string {
	if n == nil || n.hi <= n.lo || n.hi > len(a.f.src) {
		return n.path()
	}
	s := strings.Join(strings.Fields(string(a.f.src[n.lo:n.hi])), " ")
	if len(s) > 60 {
		s = s[:57] + "…"
	}
	return s
}

// pick prefers request input over local input,
// and unsanitised input over sanitised.
func pick(x, y *taint) *taint {
	if x == nil || (y != nil && ((x.local && !y.local) || (x.clean != "" && y.clean == "" && x.local == y.local))) {
		return y
	}
	return x
}

// eval returns the taint an expression carries, or nil.
func (a *analysis) eval(n *node, e env) *taint {
	if n == nil {
		return nil
	}
	switch n.k {
	case kConst, kCompare, kFunc:
		return nil
	case kName:
		if t, ok := e.get(n.text); ok {
			return t
		}
		return a.isSource(n, a.resolve(n.text))
	case kMember, kIndex:
		if p := n.path(); p != "" {
			if t, ok := e.get(p); ok && n.k == kMember {
				return t
			}
			if n.k == kMember {
				if t := a.isSource(n, a.resolve(p)); t != nil {
					return t
				}
			}
		}
		t := a.eval(n.kid(0), e)
		if t != nil && t.obj {
			return &taint{desc: a.snippet(n), obj: true, local: t.local}
		}
		return t
	case kCall:
		return a.evalCall(n, e)
	case kConcat:
		var t *taint
		for _, k := range n.kids {
			t = pick(t, a.eval(k, e))
		}
		if t != nil {
			via := "string concatenation"
			if n.text == "%" {
				via = "%-formatting"
			}
			return a.built(t, n, via)
		}
		return t
	case kFormat:
		var t *taint
		for _, k := range n.kids {
			t = pick(t, a.eval(k, e))
		}
		if t != nil {
			return a.built(t, n, "string interpolation")
		}
		return t
	case kAssign:
		return a.eval(n.kid(1), e)
	}
	var t *taint
	for _, k := range n.kids {
		t = pick(t, a.eval(k, e))
	}
	for _, k := range n.kw {
		t = pick(t, a.eval(k, e))
	}
	return t
}

func (a *analysis) evalCall(n *node, e env) *taint {
	p := a.resolve(n.text)
	if t := a.isSource(n, p); t != nil {
		return t
	}
	if a.isSanitiser(p) {
		return nil
	}
	if rules := a.sanitisedFor(p); rules != "" {
		var t *taint
		for _, k := range n.kids {
			t = pick(t, a.eval(k, e))
		}
		if t == nil {
			return nil
		}
		c := *t
		c.clean += rules
		return &c
	}
	// A helper in the same file passes taint through when its summary says so.
	if fn := a.helper(n); fn != nil {
		if !a.returnsParamTaint(fn) {
			return nil
		}
	}
	var t *taint
	if n.recv != nil {
		if rt := a.eval(n.recv, e); rt != nil {
			if rt.obj {
				return &taint{desc: a.snippet(n), obj: true, local: rt.local}
			}
			t = rt
		}
	}
	for _, k := range n.kids {
		t = pick(t, a.eval(k, e))
	}
	for _, k := range n.kw {
		t = pick(t, a.eval(k, e))
	}
	if t != nil {
		switch base(n.text) {
		case "Sprintf", "format", "Format", "formatted", "join", "Join", "concat", "resolve":
			return a.built(t, n, "formatting")
		}
	}
	return t
}

// helper returns the same-file function a call names, if any.
func (a *analysis) helper(n *node) *node {
	name := n.text
	if n.recv != nil {
		if r := n.recv; r.k == kName && (r.text == "self" || r.text == "this") {
			name = base(n.text)
		} else {
			return nil
		}
	}
	return a.f.funcs[name]
}

// returnsParamTaint summarises a helper: does it return (a value built
// from) its parameters, without a sanitiser in between?
func (a *analysis) returnsParamTaint(fn *node) bool {
	switch a.summary[fn] {
	case 1:
		return true
	case 2, 3:
		return false
	}
	a.summary[fn] = 3
	e := newEnv(nil)
	for _, p := range fn.params {
		if p.name != "" {
			e.set(p.name, &taint{desc: p.name})
		}
	}
	prevRet, prevFn, prevTarget := a.ret, a.fnName, a.target
	a.ret = nil
	a.quiet++
	for _, k := range fn.kids {
		a.visit(k, e)
	}
	a.quiet--
	got := a.ret != nil
	a.ret, a.fnName, a.target = prevRet, prevFn, prevTarget
	if got {
		a.summary[fn] = 1
	} else {
		a.summary[fn] = 2
	}
	return got
}
