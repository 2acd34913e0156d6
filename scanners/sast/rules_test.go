package sast

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryRuleFileListed parses the rule_*.go files and checks that every
// *rule they declare is in allRules, so a new rule file cannot be
// forgotten, and that each file declares exactly one rule.
func TestEveryRuleFileListed(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("rule_*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob rule files: %v (%d files)", err, len(files))
	}
	listed := map[string]bool{}
	for _, r := range allRules() {
		listed[r.meta.ID] = true
	}
	fset := token.NewFileSet()
	declared := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		ast.Inspect(f, func(x ast.Node) bool {
			if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
				if cl, ok := u.X.(*ast.CompositeLit); ok {
					if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "rule" {
						n++
					}
				}
			}
			return true
		})
		if n != 1 {
			t.Errorf("%s declares %d rules, want exactly 1", name, n)
		}
		declared += n
	}
	if declared != len(listed) {
		t.Errorf("rule files declare %d rules, allRules lists %d", declared, len(listed))
	}
	ids := make([]string, 0, len(listed))
	for _, r := range allRules() {
		ids = append(ids, r.meta.ID)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("allRules is not sorted by id: %v", ids)
	}
	for _, r := range allRules() {
		if len(r.sinks) == 0 {
			t.Errorf("%s has no sinks", r.meta.ID)
		}
		if len(r.meta.CWE) == 0 || !strings.HasPrefix(r.meta.Refs[0], "OWASP A") || r.meta.Example == "" {
			t.Errorf("%s lacks CWE, OWASP category or example", r.meta.ID)
		}
		for i, s := range r.sinks {
			if s.langs == 0 || len(s.names) == 0 || s.advice == "" {
				t.Errorf("%s sink %d: langs, names and advice are required", r.meta.ID, i)
			}
		}
	}
}
