package sast

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/java"
	"github.com/smacker/go-tree-sitter/javascript"
	"github.com/smacker/go-tree-sitter/python"
	"github.com/smacker/go-tree-sitter/typescript/tsx"
	"github.com/smacker/go-tree-sitter/typescript/typescript"

	"github.com/picketsec/picket/scanners"
)

// grammar is one tree-sitter language with a pool of parsers (a parser is
// not safe for concurrent use; the language is).
type grammar struct {
	lang lang
	pool sync.Pool
}

func newGrammar(l lang, tl *sitter.Language) *grammar {
	g := &grammar{lang: l}
	g.pool.New = func() any {
		p := sitter.NewParser()
		p.SetLanguage(tl)
		return p
	}
	return g
}

// The grammars, created once per process: languages are immutable.
var (
	grammarsOnce sync.Once
	grammars     map[string]*grammar
)

func grammarFor(ext string) *grammar {
	grammarsOnce.Do(func() {
		js := newGrammar(langJS, javascript.GetLanguage())
		grammars = map[string]*grammar{
			".py":   newGrammar(langPython, python.GetLanguage()),
			".js":   js,
			".mjs":  js,
			".cjs":  js,
			".jsx":  js,
			".ts":   newGrammar(langJS, typescript.GetLanguage()),
			".mts":  newGrammar(langJS, typescript.GetLanguage()),
			".tsx":  newGrammar(langJS, tsx.GetLanguage()),
			".java": newGrammar(langJava, java.GetLanguage()),
		}
	})
	return grammars[ext]
}

// parseTS parses src with g and lowers it. Syntax errors do not fail the
// parse: tree-sitter recovers, and ERROR subtrees are skipped, so what did
// parse is still scanned.
func parseTS(ctx context.Context, g *grammar, src []byte) (*file, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := g.pool.Get().(*sitter.Parser)
	defer g.pool.Put(p)
	// Not ParseCtx(ctx): its watcher goroutine can set the parser's cancel
	// flag after the parse finished, poisoning the pooled parser. A parse
	// takes milliseconds; the caller checks ctx before and after.
	tree, err := p.ParseCtx(context.Background(), nil, src)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", g.lang, err)
	}
	defer tree.Close()
	f := &file{lang: g.lang, src: src, funcs: map[string]*node{}, aliases: map[string]string{}, imports: map[string]bool{}}
	l := &tsLower{f: f, src: src, cache: map[uintptr]*children{}}
	root := tree.RootNode()
	l.lines = append(l.lines, 0)
	for i, b := range src {
		if b == '\n' {
			l.lines = append(l.lines, i+1)
		}
	}
	l.cur = sitter.NewTreeCursor(root)
	defer l.cur.Close()
	f.root = &node{k: kFunc, kids: l.kids(root), rng: l.rng(root), hi: len(src)}
	return f, nil
}

type tsLower struct {
	f     *file
	src   []byte
	cache map[uintptr]*children // node id → its children
	cur   *sitter.TreeCursor    // one cursor reset per node: a new one costs an allocation and a finalizer
	lines []int                 // byte offset of each line's start
}

// children is what lowering needs of a node's children, read in one
// cursor walk: NamedChild(i) is linear in i and ChildByFieldName allocates
// a C string per call.
type children struct {
	named  []*sitter.Node
	fields map[string]*sitter.Node
}

func (l *tsLower) children(n *sitter.Node) *children {
	id := n.ID()
	if c, ok := l.cache[id]; ok {
		return c
	}
	ch := &children{}
	if n.ChildCount() > 0 {
		c := l.cur
		c.Reset(n)
		for ok := c.GoToFirstChild(); ok; ok = c.GoToNextSibling() {
			cur := c.CurrentNode()
			if f := c.CurrentFieldName(); f != "" {
				if ch.fields == nil {
					ch.fields = map[string]*sitter.Node{}
				}
				if _, dup := ch.fields[f]; !dup {
					ch.fields[f] = cur
				}
			}
			if cur.IsNamed() {
				ch.named = append(ch.named, cur)
			}
		}
	}
	l.cache[id] = ch
	return ch
}

// fld returns n's child in field name.
func (l *tsLower) fld(n *sitter.Node, name string) *sitter.Node {
	if n == nil {
		return nil
	}
	return l.children(n).fields[name]
}

func (l *tsLower) rng(n *sitter.Node) scanners.Range {
	return l.rngOf(int(n.StartByte()), int(n.EndByte()))
}

// rngOf converts byte offsets to a range through the line table, saving
// the two cgo calls of StartPoint and EndPoint per node.
func (l *tsLower) rngOf(lo, hi int) scanners.Range {
	sl := sort.SearchInts(l.lines, lo+1) - 1
	el := sort.SearchInts(l.lines, hi+1) - 1
	return scanners.Range{StartLine: sl + 1, StartCol: lo - l.lines[sl] + 1, EndLine: el + 1, EndCol: hi - l.lines[el] + 1}
}

func (l *tsLower) text(n *sitter.Node) string {
	return string(l.src[n.StartByte():n.EndByte()])
}

func (l *tsLower) mk(k kind, n *sitter.Node, text string, kids ...*node) *node {
	lo, hi := int(n.StartByte()), int(n.EndByte())
	return &node{k: k, text: text, kids: kids, rng: l.rngOf(lo, hi), lo: lo, hi: hi}
}

// named returns the named children of n.
func (l *tsLower) named(n *sitter.Node) []*sitter.Node { return l.children(n).named }

// kids lowers the named children of n.
func (l *tsLower) kids(n *sitter.Node) []*node {
	ch := l.named(n)
	out := make([]*node, 0, len(ch))
	for _, c := range ch {
		if k := l.lower(c); k != nil {
			out = append(out, k)
		}
	}
	return out
}

func (l *tsLower) field(n *sitter.Node, name string) *node {
	if c := l.fld(n, name); c != nil {
		return l.lower(c)
	}
	return nil
}

// lower converts one syntax node.
func (l *tsLower) lower(n *sitter.Node) *node {
	if n == nil {
		return nil
	}
	t := n.Type()
	switch t {
	case "ERROR": // keep what parsed inside the error
		return l.mk(kOther, n, "", l.kids(n)...)
	case "comment", "line_comment", "block_comment", "type_annotation", "type_arguments", "type_parameters",
		"predefined_type", "import_declaration", "package_declaration", "decorator":
		return nil
	case "identifier", "property_identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern", "type_identifier", "this", "self", "field_identifier":
		return l.mk(kName, n, l.text(n))
	case "true", "false", "none", "null", "null_literal", "undefined", "integer", "float", "number",
		"decimal_integer_literal", "octal_integer_literal", "hex_integer_literal", "decimal_floating_point_literal", "character_literal":
		return l.mk(kConst, n, l.text(n))
	case "string", "string_literal", "text_block", "template_string":
		return l.str(n)
	case "concatenated_string":
		return l.mk(kConcat, n, "", l.kids(n)...)
	case "parenthesized_expression", "expression_statement", "await_expression", "non_null_expression", "as_expression", "jsx_expression", "satisfies_expression":
		ks := l.kids(n)
		if len(ks) == 1 {
			return ks[0]
		}
		return l.mk(kOther, n, "", ks...)
	case "cast_expression":
		return l.field(n, "value")
	case "import_statement", "import_from_statement":
		l.imports(n)
		return nil
	case "attribute", "member_expression", "field_access":
		obj := l.lower(l.fld(n, "object"))
		name := l.fld(n, "attribute")
		if name == nil {
			name = l.fld(n, "property")
		}
		if name == nil {
			name = l.fld(n, "field")
		}
		if name == nil || obj == nil {
			return l.mk(kOther, n, "", l.kids(n)...)
		}
		return l.mk(kMember, n, l.text(name), obj)
	case "subscript", "subscript_expression", "array_access":
		obj := l.field(n, "value")
		if obj == nil {
			obj = l.field(n, "object")
		}
		if obj == nil {
			obj = l.field(n, "array")
		}
		idx := l.field(n, "subscript")
		if idx == nil {
			idx = l.field(n, "index")
		}
		return l.mk(kIndex, n, "", obj, idx)
	case "call", "call_expression", "method_invocation":
		return l.call(n)
	case "new_expression", "object_creation_expression":
		typ := l.fld(n, "constructor")
		if typ == nil {
			typ = l.fld(n, "type")
		}
		c := l.mk(kCall, n, "")
		if typ != nil {
			name := l.text(typ)
			if i := strings.IndexByte(name, '<'); i >= 0 {
				name = name[:i]
			}
			c.text = "new " + name
		}
		l.args(c, l.fld(n, "arguments"))
		for i := 0; i < int(n.NamedChildCount()); i++ {
			if ch := n.NamedChild(i); ch.Type() == "class_body" {
				c.kids = append(c.kids, l.lower(ch))
			}
		}
		return c
	case "binary_operator", "binary_expression":
		return l.binary(n)
	case "comparison_operator":
		op := ""
		for i := 0; i < int(n.ChildCount()); i++ {
			if c := n.Child(i); !c.IsNamed() {
				op = strings.TrimSpace(op + " " + c.Type())
			}
		}
		return l.mk(kCompare, n, op, l.kids(n)...)
	case "assignment", "assignment_expression", "augmented_assignment", "augmented_assignment_expression", "variable_declarator", "resource":
		return l.assign(n, t)
	case "function_definition", "function_declaration", "function_expression", "function", "arrow_function",
		"method_definition", "generator_function_declaration", "method_declaration", "constructor_declaration", "lambda", "lambda_expression":
		return l.function(n)
	case "decorated_definition":
		return l.decorated(n)
	case "for_statement", "for_in_statement", "enhanced_for_statement":
		left, right := l.fld(n, "left"), l.fld(n, "right")
		if t == "enhanced_for_statement" {
			left, right = l.fld(n, "name"), l.fld(n, "value")
		}
		if left == nil || right == nil { // C-style for
			return l.mk(kOther, n, "", l.kids(n)...)
		}
		f := l.mk(kFor, n, "", l.lower(left), l.lower(right))
		f.kids = append(f.kids, l.field(n, "body"))
		return f
	case "return_statement":
		return l.mk(kReturn, n, "", l.kids(n)...)
	case "dictionary", "object":
		o := l.mk(kObject, n, "")
		for _, k := range l.kids(n) {
			if k.k == kPair {
				o.kw = append(o.kw, k)
			} else if k.k == kName { // shorthand {id}
				o.kw = append(o.kw, &node{k: kPair, text: k.text, kids: []*node{k}, rng: k.rng, lo: k.lo, hi: k.hi})
			} else {
				o.kids = append(o.kids, k)
			}
		}
		return o
	case "list", "tuple", "array", "array_initializer", "set":
		return l.mk(kObject, n, "", l.kids(n)...)
	case "array_creation_expression":
		if v := l.fld(n, "value"); v != nil {
			return l.lower(v)
		}
		return l.mk(kObject, n, "")
	case "pair", "keyword_argument", "element_value_pair", "pair_pattern":
		k, v := l.fld(n, "key"), l.fld(n, "value")
		if k == nil {
			k = l.fld(n, "name")
		}
		if k == nil || v == nil {
			return l.mk(kOther, n, "", l.kids(n)...)
		}
		key := l.text(k)
		if kn := l.lower(k); kn != nil && kn.k == kConst {
			key = kn.text
		}
		return l.mk(kPair, n, key, l.lower(v))
	case "jsx_attribute":
		if n.NamedChildCount() == 2 {
			return l.mk(kPair, n, l.text(n.NamedChild(0)), l.lower(n.NamedChild(1)))
		}
		return nil
	case "annotation", "marker_annotation":
		c := l.mk(kCall, n, "@"+l.text(l.fld(n, "name")))
		l.args(c, l.fld(n, "arguments"))
		return c
	}
	return l.mk(kOther, n, "", l.kids(n)...)
}

// str lowers a string literal: a constant, or a kFormat when it
// interpolates expressions.
func (l *tsLower) str(n *sitter.Node) *node {
	var parts []*node
	var b strings.Builder
	interp := false
	for i := 0; i < int(n.NamedChildCount()); i++ {
		c := n.NamedChild(i)
		switch c.Type() {
		case "string_content", "string_fragment", "escape_sequence":
			b.WriteString(l.text(c))
		case "interpolation", "template_substitution":
			interp = true
			if b.Len() > 0 {
				parts = append(parts, &node{k: kConst, text: b.String(), rng: l.rng(c)})
				b.Reset()
			}
			parts = append(parts, l.kids(c)...)
		}
	}
	if !interp {
		s := b.String()
		if n.NamedChildCount() == 0 { // a string with no fragments: strip the quotes
			s = strings.Trim(l.text(n), "\"'`")
		}
		return l.mk(kConst, n, s)
	}
	if b.Len() > 0 {
		parts = append(parts, &node{k: kConst, text: b.String(), rng: l.rng(n)})
	}
	return l.mk(kFormat, n, "", parts...)
}

func (l *tsLower) binary(n *sitter.Node) *node {
	op := ""
	if o := l.fld(n, "operator"); o != nil {
		op = o.Type()
	} else if n.ChildCount() == 3 {
		op = n.Child(1).Type()
	}
	left, right := l.field(n, "left"), l.field(n, "right")
	switch op {
	case "+", "%":
		return l.mk(kConcat, n, op, left, right)
	case "==", "===", "!=", "!==", "in", "instanceof", "<", ">", "<=", ">=":
		return l.mk(kCompare, n, op, left, right)
	}
	return l.mk(kOther, n, op, left, right)
}

func (l *tsLower) call(n *sitter.Node) *node {
	c := l.mk(kCall, n, "")
	if n.Type() == "method_invocation" { // Java: object.name(args)
		name := l.text(l.fld(n, "name"))
		if obj := l.fld(n, "object"); obj != nil {
			c.recv = l.lower(obj)
			if p := c.recv.path(); p != "" {
				c.text = p + "." + name
			} else {
				c.text = name
			}
		} else {
			c.text = name
		}
	} else {
		fn := l.lower(l.fld(n, "function"))
		switch {
		case fn == nil:
		case fn.k == kName:
			c.text = fn.text
		case fn.k == kMember:
			c.recv = fn.kid(0)
			c.text = fn.path()
			if c.text == "" {
				c.text = fn.text
			}
		default:
			c.recv = fn
		}
	}
	l.args(c, l.fld(n, "arguments"))
	// require("mod") and its members read as the module path.
	if c.text == "require" && len(c.kids) == 1 && c.kids[0].k == kConst {
		return &node{k: kName, text: c.kids[0].text, rng: c.rng, lo: c.lo, hi: c.hi}
	}
	return c
}

func (l *tsLower) args(c *node, a *sitter.Node) {
	if a == nil {
		return
	}
	for _, k := range l.kids(a) {
		if k.k == kPair {
			c.kw = append(c.kw, k)
		} else {
			c.kids = append(c.kids, k)
		}
	}
	if a.Type() == "annotation_argument_list" && len(c.kids) == 1 && len(c.kw) == 0 {
		c.kw = append(c.kw, &node{k: kPair, text: "value", kids: c.kids})
	}
}

func (l *tsLower) assign(n *sitter.Node, t string) *node {
	left, right := l.fld(n, "left"), l.fld(n, "right")
	if t == "variable_declarator" || t == "resource" {
		left, right = l.fld(n, "name"), l.fld(n, "value")
	}
	if left == nil {
		return nil
	}
	target := l.lower(left)
	if target == nil {
		return nil
	}
	if left.Type() == "object_pattern" || left.Type() == "array_pattern" {
		target.k = kOther
		target.kids = append(target.kids, target.kw...)
		target.kw = nil
		for i, k := range target.kids { // {a: b} binds b
			if v := k.kid(0); k.k == kPair && v != nil {
				target.kids[i] = v
			}
		}
	}
	var value *node
	if right != nil {
		value = l.lower(right)
	}
	if value == nil {
		return l.mk(kAssign, n, "", target, nil)
	}
	if strings.HasPrefix(t, "augmented") || (l.fld(n, "operator") != nil && l.text(l.fld(n, "operator")) == "+=") {
		value = l.mk(kConcat, n, "+", target, value)
	}
	// Module aliases: const cp = require("child_process"), const {exec} = require(…).
	if value.k == kName && t == "variable_declarator" && right.Type() == "call_expression" {
		switch target.k {
		case kName:
			l.f.aliases[target.text] = value.text
		case kOther:
			for _, k := range target.kids {
				if k.k == kName {
					l.f.aliases[k.text] = value.text + "." + k.text
				}
			}
		}
		l.f.imports[value.text] = true
	}
	if value.k == kFunc && value.text == "" && target.k == kName {
		value.text = target.text
		l.f.funcs[target.text] = value
	}
	return l.mk(kAssign, n, "", target, value)
}

// imports records import aliases for Python and JavaScript.
func (l *tsLower) imports(n *sitter.Node) {
	if l.f.lang == langJS {
		src := l.fld(n, "source")
		if src == nil {
			return
		}
		mod := strings.Trim(l.text(src), "\"'`")
		l.f.imports[mod] = true
		var walk func(c *sitter.Node)
		walk = func(c *sitter.Node) {
			switch c.Type() {
			case "import_specifier":
				name := l.text(l.fld(c, "name"))
				local := name
				if a := l.fld(c, "alias"); a != nil {
					local = l.text(a)
				}
				l.f.aliases[local] = mod + "." + name
				return
			case "identifier":
				l.f.aliases[l.text(c)] = mod
				return
			}
			for i := 0; i < int(c.NamedChildCount()); i++ {
				walk(c.NamedChild(i))
			}
		}
		for i := 0; i < int(n.NamedChildCount()); i++ {
			if c := n.NamedChild(i); c.Type() == "import_clause" {
				walk(c)
			}
		}
		return
	}
	// Python.
	mod := ""
	if m := l.fld(n, "module_name"); m != nil {
		mod = l.text(m)
		l.f.imports[mod] = true
	}
	for i := 0; i < int(n.NamedChildCount()); i++ {
		c := n.NamedChild(i)
		if n.FieldNameForChild(childIndex(n, c)) != "name" {
			continue
		}
		name, local := l.text(c), ""
		if c.Type() == "aliased_import" {
			name, local = l.text(l.fld(c, "name")), l.text(l.fld(c, "alias"))
		}
		full := name
		if mod != "" {
			full = mod + "." + name
		}
		if local == "" {
			local = name
			if mod == "" { // import os.path binds os
				local, _, _ = strings.Cut(name, ".")
				full = local
			}
		}
		l.f.imports[full] = true
		l.f.aliases[local] = full
	}
}

// childIndex returns the index of named child c among n's children.
func childIndex(n, c *sitter.Node) int {
	for i := 0; i < int(n.ChildCount()); i++ {
		if n.Child(i).Equal(c) {
			return i
		}
	}
	return -1
}
