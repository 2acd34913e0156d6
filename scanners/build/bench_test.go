package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
	"github.com/picketsec/picket/scanners/secrets"
)

// genWorkflow returns a realistic workflow of about 80 lines with n jobs.
func genWorkflow(i, jobs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: ci-%d\non:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  contents: read\njobs:\n", i)
	for j := 0; j < jobs; j++ {
		fmt.Fprintf(&b, `  job%d:
    runs-on: ubuntu-latest
    env:
      GOFLAGS: -mod=readonly
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with: { go-version: "1.22" }
      - name: test
        env:
          TITLE: ${{ github.event.pull_request.title }}
        run: |
          set -euo pipefail
          echo "testing $TITLE"
          go test -race -coverprofile=cover.out ./... && go tool cover -func cover.out | tail -1
          if [ -n "${CI:-}" ]; then curl -fsSLo lint.tgz https://dl.example.net/lint-%d.tgz; fi
      - uses: someone/cache-action@8f4b7f84864484a7bf31766abe9204da3cbe65b3
`, j, i)
	}
	return b.String()
}

// genMakefile returns a Makefile of about 100 lines.
func genMakefile(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "VERSION := $(shell git describe --tags)\nexport CGO_ENABLED=0\n.PHONY: all\n")
	for j := 0; j < 20; j++ {
		fmt.Fprintf(&b, "target%d: dep%d\n\t@echo building $@\n\tgo build -ldflags \"-X main.v=$(VERSION)\" -o bin/t%d ./cmd/t%d && \\\n\t  cp bin/t%d dist/\n\n", j, j, j, j, j)
	}
	fmt.Fprintf(&b, "tools:\n\tcurl -fsSLo tools/x https://dl.example.net/x-%d\n", i)
	return b.String()
}

func benchFiles(n int, gen func(int) (string, string)) ([]*diff.File, int64) {
	var files []*diff.File
	var size int64
	for i := 0; i < n; i++ {
		path, text := gen(i)
		files = append(files, scannertest.NewFile(path, nil, []byte(text)))
		size += int64(len(text))
	}
	return files, size
}

func benchScan(b *testing.B, files []*diff.File, size int64) {
	s := newScanner(b, config.BuildConfig{})
	ctx := context.Background()
	contents := make([][]byte, len(files))
	for i, f := range files {
		c, err := f.Content(ctx, diff.Head)
		if err != nil {
			b.Fatal(err)
		}
		contents[i] = c
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i, f := range files {
			if _, err := s.Scan(ctx, scanners.Input{File: f, Side: diff.Head, Path: f.Path, Content: contents[i]}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkScanWorkflows measures the scanner alone on 200 workflows.
func BenchmarkScanWorkflows(b *testing.B) {
	files, size := benchFiles(200, func(i int) (string, string) {
		return fmt.Sprintf(".github/workflows/w%d.yml", i), genWorkflow(i, 4)
	})
	benchScan(b, files, size)
}

// BenchmarkScanMakefiles measures the scanner alone on 200 Makefiles.
func BenchmarkScanMakefiles(b *testing.B) {
	files, size := benchFiles(200, func(i int) (string, string) {
		return fmt.Sprintf("svc%d/Makefile", i), genMakefile(i)
	})
	benchScan(b, files, size)
}

// goSource returns the Go files of this repository as added files.
func goSource(b *testing.B) ([]*diff.File, int64) {
	var files []*diff.File
	var size int64
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("../..", p)
			files = append(files, scannertest.NewFile(filepath.ToSlash(rel), nil, data))
			size += int64(len(data))
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return files, size
}

// BenchmarkEngineGoSource compares the whole engine's throughput on Go
// source with and without the build scanner: Wants rejects Go files
// by path (only //go:generate lines are read), so the two must be close.
func BenchmarkEngineGoSource(b *testing.B) {
	files, size := goSource(b)
	sec, err := secrets.New(secrets.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		list []scanners.Scanner
	}{
		{"secrets", []scanners.Scanner{sec}},
		{"secrets+build", []scanners.Scanner{sec, newScanner(b, config.BuildConfig{})}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := scanners.NewEngine(tc.list)
			if err != nil {
				b.Fatal(err)
			}
			cs := scannertest.ChangeSet(files...)
			b.SetBytes(size)
			b.ResetTimer()
			for range b.N {
				if _, err := e.Run(context.Background(), cs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
