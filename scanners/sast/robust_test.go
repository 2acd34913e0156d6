package sast

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
)

func scan(t *testing.T, path, src string) ([]scanners.Finding, error) {
	t.Helper()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Scan(context.Background(), scanners.Input{Path: path, Content: []byte(src)})
}

// TestParseErrors: a Go file that does not parse is an error the engine
// records; tree-sitter languages recover and what parsed is still scanned.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	if _, err := scan(t, "bad.go", "package x\nfunc ("); err == nil || !strings.Contains(err.Error(), "parse go") {
		t.Errorf("Scan(bad.go) error = %v, want a parse error", err)
	}
	broken := map[string]string{
		"a.py":   "import os\ndef f(:\n    pass\nos.system(input())\n",
		"a.js":   "const { exec } = require('child_process');\nlet = = ;\nexec(process.argv[2]);\n",
		"a.ts":   "let x: = ;\nfetch(req.query.u);\n",
		"A.java": "class A { void f( { }\n void g(HttpServletRequest r) throws Exception { Runtime.getRuntime().exec(r.getParameter(\"c\")); } }\n",
		"b.tsx":  "<div>{</div>\n",
	}
	for path, src := range broken {
		t.Run(path, func(t *testing.T) {
			fs, err := scan(t, path, src)
			if err != nil {
				t.Fatalf("Scan(%s) = %v, want recovery", path, err)
			}
			if path != "b.tsx" && path != "a.ts" && len(fs) == 0 {
				t.Errorf("Scan(%s) found nothing in the part that parsed", path)
			}
		})
	}
}

// TestGarbage feeds arbitrary bytes to every parser.
func TestGarbage(t *testing.T) {
	t.Parallel()
	inputs := []string{"", "\x00\xff\xfe", strings.Repeat("(", 5000), strings.Repeat("a+", 3000) + "a", "\"\"\"unterminated", "`${`${`${"}
	for _, ext := range []string{".py", ".js", ".ts", ".tsx", ".java", ".go"} {
		for _, in := range inputs {
			_, _ = scan(t, "f"+ext, in) // must not panic; Go may return a parse error
		}
	}
}

func TestCancelled(t *testing.T) {
	t.Parallel()
	s, _ := New(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Scan(ctx, scanners.Input{Path: "a.py", Content: []byte("eval(input())")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan on a cancelled context = %v, want context.Canceled", err)
	}
}

// TestFixes checks the mechanical fixes line by line.
func TestFixes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, src string
		line      int
		want      string
	}{
		{"a.py", "import yaml\ncfg = yaml.load(open('c.yml'))\n", 2, "cfg = yaml.safe_load(open('c.yml'))"},
		{"b.py", "import requests\nr = requests.get(u, timeout=3, verify=False)\n", 2, "r = requests.get(u, timeout=3)"},
		{"c.go", "package a\n\nimport \"crypto/tls\"\n\nvar c = &tls.Config{\n\tInsecureSkipVerify: true,\n}\n", 6, ""},
		{"d.go", "package a\n\nimport \"os\"\n\nfunc f() { os.Chmod(\"x\", 0777) }\n", 5, "func f() { os.Chmod(\"x\", 0755) }"},
		{"e.js", "const a = new https.Agent({ keepAlive: true, rejectUnauthorized: false });\n", 1, "const a = new https.Agent({ keepAlive: true });"},
		{"f.py", "import os\nos.chmod(p, 0o666)\n", 2, "os.chmod(p, 0o644)"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			fs, err := scan(t, tc.path, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.Fix == nil {
					continue
				}
				if f.Fix.StartLine != tc.line || f.Fix.Replacement != tc.want {
					t.Errorf("fix = lines %d-%d %q, want line %d %q", f.Fix.StartLine, f.Fix.EndLine, f.Fix.Replacement, tc.line, tc.want)
				}
				return
			}
			t.Errorf("no fix among %d findings", len(fs))
		})
	}
}

// TestMessage checks that a taint message names the source, the sink and
// how the value was built.
func TestMessage(t *testing.T) {
	t.Parallel()
	src := "package a\n\nimport \"net/http\"\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tdb.Query(\"SELECT * FROM t WHERE id = \" + r.FormValue(\"id\"))\n}\n"
	fs, err := scan(t, "h.go", src)
	if err != nil || len(fs) != 1 {
		t.Fatalf("Scan = %v, %v; want one finding", fs, err)
	}
	f := fs[0]
	for _, want := range []string{`r.FormValue("id")`, "db.Query", "string concatenation", "placeholder"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if f.Range.StartLine != 6 || f.Range.StartCol != 2 || f.Match == "" {
		t.Errorf("range %+v match %q, want line 6 col 2 and a match", f.Range, f.Match)
	}
}
