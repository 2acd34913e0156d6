package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// lang is a source language.
type lang uint8

// The languages.
const (
	langGo lang = 1 << iota
	langPython
	langJS // JavaScript, TypeScript and TSX share one grammar family and one rule set
	langJava

	allLangs = langGo | langPython | langJS | langJava
)

func (l lang) String() string {
	switch l {
	case langGo:
		return "go"
	case langPython:
		return "python"
	case langJS:
		return "javascript"
	case langJava:
		return "java"
	}
	return "mixed"
}

// kind is the kind of an IR node.
type kind uint8

// The node kinds. The frontends lower every language to these.
const (
	kOther   kind = iota // any other construct: its kids are visited and propagate taint
	kName                // an identifier; text is the name
	kConst               // a literal; text is the value (strings unquoted)
	kCall                // a call or constructor; text is the callee path, recv the receiver, kids the arguments, kw the keyword arguments
	kMember              // obj.field; text is the field, kids[0] the object
	kIndex               // obj[i]; kids[0] the object, kids[1] the index
	kConcat              // string building: +, %, concatenation; kids are the parts
	kFormat              // an interpolated string (f-string, template literal); kids are the parts
	kAssign              // kids[0] the target (a name, member, index or kOther of targets), kids[1] the value
	kPair                // key: value in a literal, keyword argument or struct field; text is the key, kids[0] the value
	kObject              // an object, dict, struct or array literal: kw holds pairs, kids the elements
	kFunc                // a function; text is its name, params its parameters, kids its body
	kFor                 // for target in iterable: kids[0] target, kids[1] iterable, kids[2:] body
	kReturn              // return; kids are the values
	kCompare             // a comparison; text is the operator ("in", "not in", "==" …)
)

// node is one IR node. Positions are kept as a scanners.Range plus byte
// offsets into the content for the normalised match text.
type node struct {
	k      kind
	text   string
	kids   []*node
	recv   *node
	kw     []*node
	params []param
	rng    scanners.Range
	lo, hi int
	empty  bool // kFunc: the body does nothing (or only returns a constant)
}

// param is a function parameter.
type param struct {
	name    string
	tainted string // non-empty: the parameter carries user input, described by this text
}

// file is one lowered source file.
type file struct {
	lang    lang
	src     []byte
	root    *node             // a kFunc holding the top-level statements
	funcs   map[string]*node  // named functions, for helper summaries
	aliases map[string]string // local name → import path (Go packages, Python/JS imports)
	imports map[string]bool   // imported paths
}

// kid returns the i-th kid or nil.
func (n *node) kid(i int) *node {
	if n == nil || i < 0 || i >= len(n.kids) {
		return nil
	}
	return n.kids[i]
}

// kwarg returns the value of keyword or field key, looking into object
// arguments too (options objects in JavaScript).
func (n *node) kwarg(key string) *node {
	if n == nil {
		return nil
	}
	for _, p := range n.kw {
		if p.text == key {
			return p.kid(0)
		}
	}
	for _, a := range n.kids {
		if a != nil && a.k == kObject {
			if v := a.kwarg(key); v != nil {
				return v
			}
		}
	}
	return nil
}

// path returns the dotted path of a name or member chain ("r.URL.Query"),
// with calls in the chain written without arguments
// ("Runtime.getRuntime.exec"). It is empty for anything else.
func (n *node) path() string {
	switch {
	case n == nil:
		return ""
	case n.k == kName:
		return n.text
	case n.k == kMember:
		if p := n.kid(0).path(); p != "" {
			return p + "." + n.text
		}
		return n.text
	case n.k == kCall:
		return n.text
	case n.k == kIndex:
		return n.kid(0).path()
	}
	return ""
}

// constString returns a literal's value.
func (n *node) constString() (string, bool) {
	if n != nil && n.k == kConst {
		return n.text, true
	}
	return "", false
}

// isTrue reports whether n is the literal true (true, True, "true").
func (n *node) isTrue() bool {
	s, ok := n.constString()
	return ok && (s == "true" || s == "True")
}

// isFalse reports whether n is a false-like literal (false, False, 0, "0", "false").
func (n *node) isFalse() bool {
	s, ok := n.constString()
	return ok && (s == "false" || s == "False" || s == "0")
}

// lead returns the leading constant text of a string-building expression:
// the literal itself, the first part of a concatenation or interpolation,
// or the first argument of a path join.
func (n *node) lead() string {
	for n != nil {
		switch n.k {
		case kConst:
			return n.text
		case kConcat, kFormat:
			n = n.kid(0)
		case kCall:
			if base(n.text) == "Join" || base(n.text) == "join" || base(n.text) == "resolve" || base(n.text) == "Sprintf" || base(n.text) == "format" {
				if base(n.text) == "format" && n.recv != nil {
					n = n.recv
				} else {
					n = n.kid(0)
				}
				continue
			}
			return ""
		default:
			return ""
		}
	}
	return ""
}

// consts returns every literal under n, in order.
func (n *node) consts() []string {
	var out []string
	var walk func(*node)
	walk = func(n *node) {
		if n == nil || n.k == kFunc {
			return
		}
		if n.k == kConst {
			out = append(out, n.text)
		}
		walk(n.recv)
		for _, k := range n.kids {
			walk(k)
		}
		for _, k := range n.kw {
			walk(k)
		}
	}
	walk(n)
	return out
}

// base returns the last element of a dotted path.
func base(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i+1:]
	}
	return p
}
