package picket_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/picketsec/picket"

// forbidden maps a package pattern to the import-path prefixes its
// dependencies must not have (DESIGN.md, "Packages and the import rule"):
// the domain (diff, scanners, templates) never sees GitHub clients, River
// or the app.
var forbidden = map[string][]string{
	"./diff/...":      {module + "/app", module + "/cmd", module + "/scanners", module + "/templates", "github.com/google/go-github", "github.com/riverqueue/river"},
	"./scanners/...":  {module + "/app", module + "/cmd", module + "/templates", "github.com/google/go-github", "github.com/riverqueue/river"},
	"./templates/...": {module + "/app", module + "/cmd", "github.com/google/go-github", "github.com/riverqueue/river"},
	// The store keeps GitHub's ids and River's tables, but talks to
	// neither: no GitHub client, no queue, no publisher (app/store doc).
	"./app/store/...": {module + "/app/gh", module + "/app/publish", module + "/app/jobs", module + "/cmd", "github.com/google/go-github"},
}

// goList runs `go list` with the given arguments in the module root.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-e"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.Fields(string(out))
}

// TestImportRule enforces the import direction with `go list -deps`, as
// osv-scalibr's lint-plugger guards its registry.
func TestImportRule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module; skipped in -short mode, run by make test")
	}
	for pattern, bad := range forbidden {
		t.Run(pattern, func(t *testing.T) {
			// One `go list -deps` proves the rule for the whole layer;
			// the per-package .Deps below only names the culprit.
			deps := goList(t, "-deps", pattern)
			var hits []string
			for _, dep := range deps {
				if isForbidden(dep, bad) {
					hits = append(hits, dep)
				}
			}
			if len(hits) == 0 {
				return
			}
			for _, line := range goList(t, "-f", `{{.ImportPath}}|{{join .Deps ","}}`, pattern) {
				pkg, list, _ := strings.Cut(line, "|")
				for _, dep := range strings.Split(list, ",") {
					if isForbidden(dep, bad) {
						t.Errorf("%s depends on %s, which the import rule forbids", pkg, dep)
					}
				}
			}
		})
	}
}

func isForbidden(dep string, bad []string) bool {
	for _, b := range bad {
		if dep == b || strings.HasPrefix(dep, b+"/") {
			return true
		}
	}
	return false
}

// TestNothingImportsCmd checks that cmd/ packages are leaves: only cmd may
// import app as a whole, and nothing imports cmd.
func TestNothingImportsCmd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module; skipped in -short mode, run by make test")
	}
	lines := goList(t, "-f", `{{.ImportPath}}|{{join .Imports ","}}`, "./...")
	for _, line := range lines {
		pkg, imports, _ := strings.Cut(line, "|")
		for _, imp := range strings.Split(imports, ",") {
			if strings.HasPrefix(imp, module+"/cmd") {
				t.Errorf("%s imports %s; nothing may import cmd", pkg, imp)
			}
		}
	}
}
