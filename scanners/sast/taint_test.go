package sast

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestTaint pins the propagation rules one behaviour at a time: each case
// lists the "line:rule" findings it must produce, and no others.
func TestTaint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"helper passes taint through", "a.py", `from flask import request
def wrap(x):
    return "'" + x + "'"
@app.route("/")
def v():
    q = "SELECT * FROM t WHERE a = " + wrap(request.args["a"])
    cur.execute(q)
`, []string{"7:sql-injection"}},
		{"helper that sanitises ends taint", "b.py", `from flask import request
def clean(x):
    return int(x)
@app.route("/")
def v():
    cur.execute("SELECT * FROM t WHERE a = " + str(clean(request.args["a"])))
`, nil},
		{"reassignment with a constant clears taint", "c.go", `package a
import "net/http"
func h(w http.ResponseWriter, r *http.Request) {
	q := "SELECT * FROM t WHERE a = " + r.FormValue("a")
	q = "SELECT 1"
	db.Query(q)
}
`, nil},
		{"closure sees the handler's input", "d.js", `app.get('/', (req, res) => {
  const id = req.query.id;
  setImmediate(() => { db.query("SELECT * FROM t WHERE id = " + id); });
});
`, []string{"3:sql-injection"}},
		{"basename is not a shell sanitiser", "e.js", `const { exec } = require('child_process');
const path = require('path');
app.get('/', (req) => { exec('ls ' + path.basename(req.query.d)); });
`, []string{"3:command-injection"}},
		{"basename is a path sanitiser", "f.js", `const fs = require('fs');
const path = require('path');
app.get('/', (req) => { fs.readFileSync('/srv/' + path.basename(req.query.d)); });
`, nil},
		{"builder carries input", "g.java", `class A {
  void f(@RequestParam String n, Statement st) throws Exception {
    StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE n = '");
    sb.append(n).append("'");
    st.executeQuery(sb.toString());
  }
}
`, []string{"5:sql-injection"}},
		{"environment does not count for SSRF", "h.go", `package a
import ("net/http"; "os")
func f() { http.Get(os.Getenv("URL")) }
`, nil},
		{"membership allowlist", "i.py", `import os
from flask import request
TOOLS = {"ls", "df"}
@app.route("/")
def v():
    t = request.args["t"]
    if t not in TOOLS:
        return "no"
    os.system(t)
`, nil},
		{"loop variable over input", "j.go", `package a
import ("net/http"; "os/exec")
func h(w http.ResponseWriter, r *http.Request) {
	for _, h := range r.URL.Query()["host"] {
		exec.Command("sh", "-c", "ping "+h).Run()
	}
}
`, []string{"5:command-injection"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs, err := scan(t, tc.path, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d:%s", f.Range.StartLine, strings.TrimPrefix(f.Rule.ID, "sast/")))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
				for _, f := range fs {
					t.Logf("  %d %s", f.Range.StartLine, f.Message)
				}
			}
		})
	}
}
