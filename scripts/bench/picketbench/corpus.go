package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners/secrets"
)

// Truth is the ground truth of a corpus.
type Truth struct {
	Files   int       `json:"files"`
	Bytes   int64     `json:"bytes"`
	Dropped dropStats `json:"dropped"`
	Planted []Planted `json:"planted"`
}

// dropStats counts the source files left out because Picket would not
// scan them, by reason, so every tool reads exactly the same bytes.
type dropStats map[string]struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

func (d dropStats) add(reason string, size int64) {
	s := d[reason]
	s.Files++
	s.Bytes += size
	d[reason] = s
}

func runCorpus(ctx context.Context, args []string, stderr io.Writer) error {
	fl := flag.NewFlagSet("corpus", flag.ContinueOnError)
	src := fl.String("src", "", "source tree to copy (e.g. $(go env GOROOT)/src)")
	dst := fl.String("dst", "", "empty directory to build the corpus in")
	truthPath := fl.String("truth", "", "write the ground truth JSON here")
	n := fl.Int("n", 48, "number of secrets to plant")
	seed := fl.Uint64("seed", 1, "seed of the planted values and places")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *src == "" || *dst == "" || *truthPath == "" {
		return errors.New("corpus: -src, -dst and -truth are required")
	}
	truth, err := buildCorpus(ctx, *src, *dst, *n, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus: %d files, %.1f MB, %d planted secrets\n", truth.Files, float64(truth.Bytes)/1e6, len(truth.Planted))
	return writeJSON(*truthPath, truth)
}

// buildCorpus copies the files of src that Picket scans into dst and plants
// n secrets there.
func buildCorpus(ctx context.Context, src, dst string, n int, seed uint64) (*Truth, error) {
	scanner, err := secrets.New(secrets.Options{})
	if err != nil {
		return nil, fmt.Errorf("secret scanner: %w", err)
	}
	truth := &Truth{Dropped: dropStats{}}
	dirSet := map[string]bool{} // directories holding copied files
	err = filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			truth.Dropped.add("not a regular file", 0)
			return nil
		}
		f := &diff.File{Path: rel, Status: diff.Added, Mode: diff.ModeRegular, Size: info.Size()}
		if skip := (diff.Limits{}).CheckPath(f); skip != nil {
			truth.Dropped.add(string(skip.Code), info.Size())
			return nil
		}
		if !scanner.Wants(f) {
			truth.Dropped.add("binary extension", info.Size())
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if skip := (diff.Limits{}).CheckContent(b); skip != nil {
			truth.Dropped.add(string(skip.Code), info.Size())
			return nil
		}
		dirSet[path.Dir(rel)] = true
		truth.Files++
		truth.Bytes += int64(len(b))
		return writeFile(filepath.Join(dst, filepath.FromSlash(rel)), b)
	})
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", src, err)
	}
	dirs := make([]string, 0, len(dirSet))
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	planted, bytes, err := plant(dst, dirs, n, seed)
	if err != nil {
		return nil, err
	}
	truth.Planted = planted
	truth.Files += len(planted)
	truth.Bytes += bytes
	return truth, nil
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// plant writes n files, each holding one secret of the types in turn and
// in each format in turn, into randomly chosen directories of the corpus.
func plant(dst string, dirs []string, n int, seed uint64) ([]Planted, int64, error) {
	sort.Strings(dirs)
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	r := mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var out []Planted
	var total int64
	for i := range n {
		st := secretTypes[i%len(secretTypes)]
		ft := formats[(i/len(secretTypes))%len(formats)]
		dir := dirs[r.IntN(len(dirs))]
		rel := path.Join(dir, ft.file)
		if _, err := os.Lstat(filepath.Join(dst, filepath.FromSlash(rel))); !errors.Is(err, fs.ErrNotExist) {
			rel = path.Join(dir, fmt.Sprintf("deploy%d", i), ft.file) // i is unique
		}
		content, start, end := render(ft.name, goPackage(rel), st.gen(r, i/len(secretTypes)))
		if err := writeFile(filepath.Join(dst, filepath.FromSlash(rel)), []byte(content)); err != nil {
			return nil, 0, fmt.Errorf("plant %s: %w", rel, err)
		}
		total += int64(len(content))
		out = append(out, Planted{Path: rel, StartLine: start, EndLine: end, Type: st.name, Format: ft.name})
	}
	return out, total, nil
}

// goPackage names the package of a planted Go file after its directory.
func goPackage(rel string) string {
	base := path.Base(path.Dir(rel))
	var b strings.Builder
	for _, c := range base {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && b.Len() > 0 {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "config"
	}
	return b.String()
}
