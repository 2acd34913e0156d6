package sast

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// Go parameter types that are request objects: every value read from them
// is user input.
var goRequestTypes = map[string]bool{
	"*net/http.Request": true, "*github.com/gin-gonic/gin.Context": true, "github.com/labstack/echo/v4.Context": true,
	"github.com/labstack/echo.Context": true, "*github.com/gofiber/fiber/v2.Ctx": true,
}

// parseGo parses Go source with the standard library parser. A syntax
// error is returned: go/parser's partial trees are not reliable enough to
// judge code by.
func parseGo(src []byte) (*file, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse go: %w", err)
	}
	f := &file{lang: langGo, src: src, funcs: map[string]*node{}, aliases: map[string]string{}, imports: map[string]bool{}}
	for _, im := range af.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		f.imports[p] = true
		name := goPkgName(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		f.aliases[name] = p
	}
	l := &goLower{f: f, fset: fset, tf: fset.File(af.Pos())}
	root := &node{k: kFunc, hi: len(src)}
	for _, d := range af.Decls {
		if k := l.lower(d); k != nil {
			root.kids = append(root.kids, k)
		}
	}
	f.root = root
	return f, nil
}

// goPkgName guesses a package's name from its import path: the last
// element without a major-version suffix.
func goPkgName(p string) string {
	b := path.Base(p)
	if len(b) > 1 && b[0] == 'v' && strings.Trim(b[1:], "0123456789") == "" {
		b = path.Base(path.Dir(p))
	}
	if i := strings.Index(b, ".v"); i > 0 {
		b = b[:i]
	}
	return strings.TrimPrefix(b, "go-")
}

type goLower struct {
	f    *file
	fset *token.FileSet
	tf   *token.File
}

func (l *goLower) mk(k kind, n ast.Node, text string, kids ...*node) *node {
	s, e := l.fset.Position(n.Pos()), l.fset.Position(n.End())
	return &node{k: k, text: text, kids: kids, lo: l.tf.Offset(n.Pos()), hi: l.tf.Offset(n.End()),
		rng: scanners.Range{StartLine: s.Line, StartCol: s.Column, EndLine: e.Line, EndCol: e.Column}}
}

// children lowers the direct children of n.
func (l *goLower) children(n ast.Node) []*node {
	var out []*node
	first := true
	ast.Inspect(n, func(c ast.Node) bool {
		if first {
			first = false
			return true
		}
		if c != nil {
			if k := l.lower(c); k != nil {
				out = append(out, k)
			}
		}
		return false
	})
	return out
}

func (l *goLower) list(es []ast.Expr) []*node {
	out := make([]*node, 0, len(es))
	for _, e := range es {
		if k := l.lower(e); k != nil {
			out = append(out, k)
		}
	}
	return out
}

// typeName renders a type expression with import paths resolved.
func (l *goLower) typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return "*" + l.typeName(t.X)
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			if p, ok := l.f.aliases[id.Name]; ok {
				return p + "." + t.Sel.Name
			}
			return id.Name + "." + t.Sel.Name
		}
	case *ast.ArrayType:
		return "[]" + l.typeName(t.Elt)
	}
	return ""
}

func (l *goLower) lower(n ast.Node) *node {
	switch n := n.(type) {
	case nil:
		return nil
	case *ast.GenDecl:
		if n.Tok == token.IMPORT {
			return nil
		}
		return l.mk(kOther, n, "", l.children(n)...)
	case *ast.ValueSpec:
		o := l.mk(kOther, n, "")
		for i, name := range n.Names {
			var v *node
			if i < len(n.Values) {
				v = l.lower(n.Values[i])
			} else if len(n.Values) == 1 {
				v = l.lower(n.Values[0])
			}
			o.kids = append(o.kids, l.mk(kAssign, n, "", l.lower(name), v))
		}
		return o
	case *ast.FuncDecl:
		fn := l.function(n, n.Type, n.Body)
		fn.text = n.Name.Name
		if _, dup := l.f.funcs[fn.text]; !dup && n.Recv == nil {
			l.f.funcs[fn.text] = fn
		}
		return fn
	case *ast.FuncLit:
		return l.function(n, n.Type, n.Body)
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			o := l.mk(kOther, n, "")
			for i := range n.Lhs {
				v := l.lower(n.Rhs[i])
				if n.Tok == token.ADD_ASSIGN {
					v = l.mk(kConcat, n, "+", l.lower(n.Lhs[i]), v)
				}
				o.kids = append(o.kids, l.mk(kAssign, n, "", l.lower(n.Lhs[i]), v))
			}
			if len(o.kids) == 1 {
				return o.kids[0]
			}
			return o
		}
		return l.mk(kAssign, n, "", l.mk(kOther, n, "", l.list(n.Lhs)...), l.lower(n.Rhs[0]))
	case *ast.RangeStmt:
		target := n.Value
		if target == nil {
			target = n.Key
		}
		return l.mk(kFor, n, "", l.lower(target), l.lower(n.X), l.lower(n.Body))
	case *ast.ReturnStmt:
		return l.mk(kReturn, n, "", l.list(n.Results)...)
	case *ast.CallExpr:
		return l.call(n)
	case *ast.SelectorExpr:
		if id, ok := n.X.(*ast.Ident); ok {
			if p, ok := l.f.aliases[id.Name]; ok {
				return l.mk(kName, n, p+"."+n.Sel.Name)
			}
		}
		return l.mk(kMember, n, n.Sel.Name, l.lower(n.X))
	case *ast.IndexExpr:
		return l.mk(kIndex, n, "", l.lower(n.X), l.lower(n.Index))
	case *ast.BinaryExpr:
		switch n.Op {
		case token.ADD:
			return l.mk(kConcat, n, "+", l.lower(n.X), l.lower(n.Y))
		case token.EQL, token.NEQ:
			return l.mk(kCompare, n, n.Op.String(), l.lower(n.X), l.lower(n.Y))
		}
		return l.mk(kOther, n, n.Op.String(), l.lower(n.X), l.lower(n.Y))
	case *ast.BasicLit:
		v := n.Value
		if n.Kind == token.STRING {
			if s, err := strconv.Unquote(v); err == nil {
				v = s
			}
		}
		return l.mk(kConst, n, v)
	case *ast.Ident:
		switch n.Name {
		case "true", "false", "nil":
			return l.mk(kConst, n, n.Name)
		}
		return l.mk(kName, n, n.Name)
	case *ast.CompositeLit:
		o := l.mk(kObject, n, "")
		if n.Type != nil {
			o.text = l.typeName(n.Type)
		}
		for _, e := range n.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				o.kids = append(o.kids, l.lower(e))
				continue
			}
			key := ""
			switch k := kv.Key.(type) {
			case *ast.Ident:
				key = k.Name
			case *ast.BasicLit:
				key, _ = strconv.Unquote(k.Value)
			}
			o.kw = append(o.kw, l.mk(kPair, kv, key, l.lower(kv.Value)))
		}
		return o
	case *ast.UnaryExpr:
		return l.lower(n.X)
	case *ast.StarExpr:
		return l.lower(n.X)
	case *ast.ParenExpr:
		return l.lower(n.X)
	case *ast.TypeAssertExpr:
		return l.lower(n.X)
	case *ast.SliceExpr:
		return l.lower(n.X)
	case *ast.FuncType, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.InterfaceType, *ast.StructType, *ast.Comment, *ast.CommentGroup:
		return nil
	case *ast.BadExpr, *ast.BadStmt, *ast.BadDecl:
		return nil
	}
	return l.mk(kOther, n, "", l.children(n)...)
}

func (l *goLower) function(n ast.Node, typ *ast.FuncType, body *ast.BlockStmt) *node {
	fn := l.mk(kFunc, n, "")
	if typ.Params != nil {
		for _, fld := range typ.Params.List {
			t := l.typeName(fld.Type)
			for _, name := range fld.Names {
				p := param{name: name.Name}
				if goRequestTypes[t] {
					p.tainted = name.Name
				}
				fn.params = append(fn.params, p)
			}
		}
	}
	if body != nil {
		b := l.lower(body)
		fn.kids = []*node{b}
		fn.empty = isEmptyBody(b)
	}
	return fn
}

func (l *goLower) call(n *ast.CallExpr) *node {
	c := l.mk(kCall, n, "")
	switch fun := n.Fun.(type) {
	case *ast.Ident:
		c.text = fun.Name
	case *ast.SelectorExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			if p, ok := l.f.aliases[id.Name]; ok {
				c.text = p + "." + fun.Sel.Name
				break
			}
		}
		c.recv = l.lower(fun.X)
		if p := c.recv.path(); p != "" {
			c.text = p + "." + fun.Sel.Name
		} else {
			c.text = fun.Sel.Name
		}
	case *ast.ArrayType: // []byte(x)
		c.text = "[]" + l.typeName(fun.Elt)
	default:
		c.recv = l.lower(fun)
	}
	c.kids = l.list(n.Args)
	return c
}
