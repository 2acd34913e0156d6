package registry

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

const module = "github.com/picketsec/picket"

// declaredScanners finds every `var _ scanners.Scanner = …` assertion in
// the non-test Go files under scanners/, and returns the asserted types
// as "import/path.Type".
func declaredScanners(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..")
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := path.Join(module, "scanners", filepath.ToSlash(rel))
		for _, name := range scannerAssertions(file) {
			found = append(found, pkg+"."+name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	return found
}

// scannerAssertions returns the type names in `var _ scanners.Scanner = X`
// declarations, for X of the forms (*T)(nil), &T{}, T{} and new(T).
func scannerAssertions(file *ast.File) []string {
	var names []string
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			sel, ok := vs.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Scanner" {
				continue
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "scanners" {
				continue
			}
			for _, v := range vs.Values {
				if n := typeName(v); n != "" {
					names = append(names, n)
				}
			}
		}
	}
	return names
}

func typeName(e ast.Expr) string {
	switch v := e.(type) {
	case *ast.ParenExpr:
		return typeName(v.X)
	case *ast.StarExpr:
		return typeName(v.X)
	case *ast.UnaryExpr:
		return typeName(v.X)
	case *ast.CallExpr: // (*T)(nil) or new(T)
		if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "new" && len(v.Args) == 1 {
			return typeName(v.Args[0])
		}
		return typeName(v.Fun)
	case *ast.CompositeLit:
		return typeName(v.Type)
	case *ast.Ident:
		return v.Name
	}
	return ""
}

// registered returns the types Scanners builds, as "import/path.Type".
func registered(t *testing.T) []string {
	t.Helper()
	list, err := Scanners(config.Default())
	if err != nil {
		t.Fatalf("Scanners(default): %v", err)
	}
	var out []string
	for _, s := range list {
		typ := reflect.TypeOf(s)
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		out = append(out, typ.PkgPath()+"."+typ.Name())
	}
	sort.Strings(out)
	return out
}

// TestEveryScannerRegistered is the lint-plugger of osv-scalibr: a
// scanner that asserts `var _ scanners.Scanner = (*T)(nil)` must be in
// the registry's list.
func TestEveryScannerRegistered(t *testing.T) {
	t.Parallel()
	reg := map[string]bool{}
	for _, r := range registered(t) {
		reg[r] = true
	}
	for _, d := range declaredScanners(t) {
		if !reg[d] {
			t.Errorf("%s declares a scanners.Scanner but is not listed in registry.Scanners", d)
		}
	}
}

func TestScannerAssertionsParser(t *testing.T) {
	t.Parallel()
	src := `package x
var _ scanners.Scanner = (*Detector)(nil)
var _ scanners.Scanner = &Other{}
var _ scanners.Scanner = Third{}
var _ scanners.Scanner = new(Fourth)
var _ scanners.CrossFile = (*Detector)(nil)
var _ fmt.Stringer = (*Fifth)(nil)
`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := scannerAssertions(f)
	want := []string{"Detector", "Other", "Third", "Fourth"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("scannerAssertions = %v, want %v", got, want)
	}
}

func TestEngineAppliesConfig(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Exclude = []string{"**/testdata/**"}
	cfg.Rules.Disable = []string{"picket/suppression-added"}
	b := scanners.NewBaseline(nil, "")
	e, err := Engine(cfg, WithBaseline(b), WithConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Rules()) == 0 {
		t.Error("engine has no rules; it should at least list picket/suppression-added")
	}
	cfg.Exclude = []string{"bad/["}
	if _, err := Engine(cfg); err == nil {
		t.Error("Engine accepted an invalid exclude glob")
	}
}

func TestUnknownRules(t *testing.T) {
	t.Parallel()
	rules := []scanners.Rule{{ID: "secrets/github-pat"}, {ID: "secrets/generic-api-key"}, {ID: "build/curl-pipe-shell"}}
	cfg := config.Default()
	cfg.Rules.Disable = []string{"secrets/generic-*", "secrets/githb-pat", "build/curl-pipe-shell", "sast/*"}
	cfg.Rules.Severity = map[string]scanners.Severity{"secrets/github-pat": scanners.Low, "secrets/jwtt": scanners.Low}
	got := UnknownRules(cfg, rules)
	want := []string{"sast/*", "secrets/githb-pat", "secrets/jwtt"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("UnknownRules = %v, want %v", got, want)
	}
}

func TestRulesAreValidAndSorted(t *testing.T) {
	t.Parallel()
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rules {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted: %s before %s", rules[i-1].ID, r.ID)
		}
	}
}
