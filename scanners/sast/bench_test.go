package sast

import (
	"bytes"
	"context"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/scanners"
)

// benchFile is one input of a benchmark.
type benchFile struct {
	path string
	src  []byte
}

// stdlibFiles returns the non-test Go files of a few standard library
// packages, the "Go source tree" corpus.
func stdlibFiles(b *testing.B) []benchFile {
	b.Helper()
	var out []benchFile
	for _, pkg := range []string{"net/http", "encoding/json", "os", "strings", "go/parser", "crypto/tls", "database/sql"} {
		dir := filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(pkg))
		ents, err := os.ReadDir(dir)
		if err != nil {
			b.Fatalf("read GOROOT sources: %v", err)
		}
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, benchFile{pkg + "/" + e.Name(), src})
		}
	}
	return out
}

var namedFunc = regexp.MustCompile(`(\b(?:func|def) )([A-Za-z_])`)

var goImports = regexp.MustCompile(`(?ms)^import (\(.*?^\)|[^\n]*)$`)

// mixedFiles generates n files in the four languages from the labelled
// corpus: each file is a corpus file repeated, with renamed functions,
// until it reaches a few hundred lines.
func mixedFiles(b *testing.B, n int) []benchFile {
	b.Helper()
	corpus := loadCorpus(b)
	if len(corpus) == 0 {
		b.Fatal("empty corpus")
	}
	out := make([]benchFile, 0, n)
	for i := 0; len(out) < n; i++ {
		cf := corpus[i%len(corpus)]
		var buf bytes.Buffer
		buf.Write(cf.src)
		lines := bytes.Count(cf.src, []byte("\n"))
		for rep := 1; lines*(rep+1) < 100+(i%4)*100; rep++ {
			body := cf.src
			if cf.lang == langGo { // one package clause per file
				if j := bytes.IndexByte(body, '\n'); j >= 0 {
					body = body[j:]
				}
				body = goImports.ReplaceAll(body, nil)
			}
			body = namedFunc.ReplaceAll(body, fmt.Appendf(nil, "${1}r%d_${2}", rep))
			buf.Write(body)
		}
		out = append(out, benchFile{fmt.Sprintf("gen/%04d/%s", i, cf.path), buf.Bytes()})
	}
	return out
}

// runBench scans every file b.N times and reports throughput and the
// median time per file under 500 lines.
func runBench(b *testing.B, files []benchFile) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, f := range files {
		total += int64(len(f.src))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	ctx := context.Background()
	var small []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			start := time.Now()
			if _, err := s.Scan(ctx, scanners.Input{Path: f.path, Content: f.src}); err != nil {
				b.Fatalf("%s: %v", f.path, err)
			}
			if bytes.Count(f.src, []byte("\n")) < 500 {
				small = append(small, time.Since(start))
			}
		}
	}
	b.StopTimer()
	if len(small) > 0 {
		slices.Sort(small)
		b.ReportMetric(float64(small[len(small)/2].Microseconds())/1000, "median-ms/file<500lines")
	}
	b.ReportMetric(float64(len(files)), "files")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB") // heap the process reserved: an upper bound of the peak
}

// BenchmarkGoStdlib scans standard library packages as added files.
func BenchmarkGoStdlib(b *testing.B) { runBench(b, stdlibFiles(b)) }

// BenchmarkMixed1000 scans 1,000 generated Go, Python, JavaScript,
// TypeScript and Java files of 100–400 lines.
func BenchmarkMixed1000(b *testing.B) { runBench(b, mixedFiles(b, 1000)) }

// BenchmarkPerLanguage scans one mid-sized generated file per language.
func BenchmarkPerLanguage(b *testing.B) {
	files := mixedFiles(b, 200)
	for _, ext := range []string{".go", ".py", ".js", ".ts", ".tsx", ".java"} {
		i := slices.IndexFunc(files, func(f benchFile) bool { return strings.HasSuffix(f.path, ext) })
		if i < 0 {
			continue
		}
		b.Run(ext[1:], func(b *testing.B) { runBench(b, files[i:i+1]) })
	}
}
