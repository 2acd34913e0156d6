package test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDeployDocs keeps docs/deploy.md honest about the repository: every
// repository path it names exists, every PICKET_ variable is one Picket
// reads, every alert it lists is in the rules and every make target it
// runs is in the Makefile.
func TestDeployDocs(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "deploy.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)

	paths := regexp.MustCompile("(?:deploy|docs|app)/[A-Za-z0-9_./-]*[A-Za-z0-9_]|app\\.yml|CHANGELOG\\.md|\\.dockerignore")
	seen := map[string]bool{}
	for _, p := range paths.FindAllString(doc, -1) {
		if seen[p] || strings.HasSuffix(p, "/.env") { // .env: the copy the reader makes
			continue
		}
		seen[p] = true
		if _, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(p))); err != nil {
			t.Errorf("docs/deploy.md names %s, which does not exist", p)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("found only %d paths in docs/deploy.md: is the pattern still right?", len(seen))
	}

	known := configVariables(t)
	for _, v := range regexp.MustCompile(`PICKET_[A-Z0-9_]+`).FindAllString(doc, -1) {
		if !known[v] {
			t.Errorf("docs/deploy.md mentions %s, which app/server does not define", v)
		}
	}

	rules, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range regexp.MustCompile("`(Picket[A-Z][A-Za-z]+)`").FindAllStringSubmatch(doc, -1) {
		if !strings.Contains(string(rules), "alert: "+a[1]+"\n") {
			t.Errorf("docs/deploy.md lists alert %s, which alerts.yml does not define", a[1])
		}
	}

	mk := readMakefile(t)
	for _, m := range regexp.MustCompile(`make ([a-z][a-z-]*)`).FindAllStringSubmatch(doc, -1) {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(m[1]) + `:`).MatchString(mk) {
			t.Errorf("docs/deploy.md runs make %s, which the Makefile lacks", m[1])
		}
	}
}
