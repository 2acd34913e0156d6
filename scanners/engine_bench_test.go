package scanners_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/build"
	"github.com/picketsec/picket/scanners/sast"
	"github.com/picketsec/picket/scanners/scannertest"
	"github.com/picketsec/picket/scanners/secrets"
)

// goSourceCorpus is the Go tree's src/ (the toolchain's own sources),
// every file treated as added: the corpus issue 2 and 3 measure on. It is
// capped at maxBytes to keep a benchmark iteration near a second.
func goSourceCorpus(b *testing.B, maxBytes int64) (*diff.ChangeSet, int64) {
	b.Helper()
	root := filepath.Join(runtime.GOROOT(), "src")
	var files []*diff.File
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || total >= maxBytes {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, scannertest.NewFile(filepath.ToSlash(rel), nil, data))
		total += int64(len(data))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return scannertest.ChangeSet(files...), total
}

// BenchmarkEngine runs the whole engine over Go source with growing sets
// of scanners, so the cost each scanner adds is read off side by side
// (issue 3: the build scanner may cost at most 20% of the engine's
// throughput on this corpus).
func BenchmarkEngine(b *testing.B) {
	cs, total := goSourceCorpus(b, 64<<20)
	sec, err := secrets.New(secrets.Options{})
	if err != nil {
		b.Fatal(err)
	}
	bld, err := build.New(build.Options{})
	if err != nil {
		b.Fatal(err)
	}
	st, err := sast.New(sast.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		set  []scanners.Scanner
	}{
		{"secrets", []scanners.Scanner{sec}},
		{"secrets+build", []scanners.Scanner{sec, bld}},
		{"secrets+build+sast", []scanners.Scanner{sec, bld, st}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := scanners.NewEngine(tc.set, scanners.WithLimits(diff.Limits{MaxFileSize: -1}))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				rep, err := e.Run(context.Background(), cs)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Stats.Files != len(cs.Files) {
					b.Fatalf("scanned %d files, want %d", rep.Stats.Files, len(cs.Files))
				}
			}
		})
	}
}

// TestGoSourceCorpusIsUsable guards the benchmark's corpus: the toolchain
// ships its sources, and they hold plenty of Go.
func TestGoSourceCorpusIsUsable(t *testing.T) {
	root := filepath.Join(runtime.GOROOT(), "src", "net", "http")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("GOROOT/src is not readable: %v", err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d Go files in GOROOT/src/net/http", n)
	}
}
