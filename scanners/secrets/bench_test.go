package secrets_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
)

// benchFile is one file of a benchmark corpus.
type benchFile struct {
	path    string
	content []byte
}

// goSourceCorpus reads up to limit bytes of .go files from the Go tree
// that ships with the toolchain: real code with real keywords (token, key,
// secret, password, "://") in quantity.
func goSourceCorpus(b *testing.B, limit int) []benchFile {
	b.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("no go toolchain to read GOROOT from: %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
	var files []benchFile
	total := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, benchFile{filepath.ToSlash(rel), data})
		total += len(data)
		return nil
	})
	if err != nil && err != fs.SkipDir {
		b.Fatal(err)
	}
	return files
}

func runBench(b *testing.B, files []benchFile) {
	s := newScanner(b)
	var total int64
	for _, f := range files {
		total += int64(len(f.content))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	ctx := context.Background()
	start, ok := cpuTime()
	n := 0
	for b.Loop() {
		n++
		for _, f := range files {
			if _, err := s.Scan(ctx, scanners.Input{Path: f.path, Content: f.content}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if end, ok2 := cpuTime(); ok && ok2 && end > start {
		b.ReportMetric(float64(total)*float64(n)/1e6/(end-start).Seconds(), "MB/cpu-s")
	}
}

// BenchmarkScanGoSource scans 64 MB of $(go env GOROOT)/src; run with
// GOMAXPROCS=1 for the per-core figure (make bench does).
func BenchmarkScanGoSource(b *testing.B) {
	runBench(b, goSourceCorpus(b, 64<<20))
}

// BenchmarkScanConfig scans generated configuration and .env files dense
// with secret-like names and a planted credential every few lines: the
// worst case for the per-hit work.
func BenchmarkScanConfig(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 8<<20; i++ {
		buf.WriteString("# service settings\nDB_HOST=db.internal\nDB_PASSWORD=${DB_PASSWORD}\nAPI_TOKEN=os.getenv\n")
		buf.WriteString("cache_key: v2-deps\nsecret_name: prod-db\ntoken_url: https://auth.acme.io/token\n")
		buf.WriteString("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nurl: postgres://user:password@localhost/app\n")
	}
	runBench(b, []benchFile{{"config/app.env", buf.Bytes()}})
}

// BenchmarkScanMinified scans one 2 MiB line of minified JavaScript full
// of keywords: per-hit work must not depend on the line's length.
func BenchmarkScanMinified(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 2<<20; i++ {
		fmt.Fprintf(&buf, `function t%d(e){var token=e.token||"",secret=e.secret;return fetch("https://api.acme.io/"+token,{headers:{Authorization:"Bearer "+secret}})}`, i)
	}
	runBench(b, []benchFile{{"dist/app.min.js", buf.Bytes()}})
}
