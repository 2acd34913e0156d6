package sast

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
)

// corpusDir is the labelled corpus at the repository root.
const corpusDir = "../../testdata/sast"

var wantRe = regexp.MustCompile(`want: ([a-z0-9, -]+)`)

// label is one expected or reported finding in the corpus.
type label struct {
	path string
	line int
	rule string // without the "sast/" prefix
}

// tally counts true positives, false positives and false negatives.
type tally struct{ tp, fp, fn int }

func (t tally) recall() float64 {
	if t.tp+t.fn == 0 {
		return 1
	}
	return float64(t.tp) / float64(t.tp+t.fn)
}

func (t tally) precision() float64 {
	if t.tp+t.fp == 0 {
		return 1
	}
	return float64(t.tp) / float64(t.tp+t.fp)
}

// corpusFile is one corpus change.
type corpusFile struct {
	path string
	lang lang
	src  []byte
	want []label
}

func loadCorpus(t testing.TB) []corpusFile {
	t.Helper()
	var out []corpusFile
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		l := langOf(p)
		if l == 0 {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		cf := corpusFile{path: filepath.ToSlash(rel), lang: l, src: src}
		for i, line := range strings.Split(string(src), "\n") {
			m := wantRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, r := range strings.Split(m[1], ",") {
				if r = strings.TrimSpace(r); r != "" {
					cf.want = append(cf.want, label{cf.path, i + 1, r})
				}
			}
		}
		out = append(out, cf)
		return nil
	})
	if err != nil {
		t.Fatalf("load corpus: %v", err)
	}
	return out
}

// TestCorpus measures recall and precision on the labelled corpus, per
// language and per rule, and fails below 80% recall or 90% precision in
// any language.
func TestCorpus(t *testing.T) {
	t.Parallel()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := loadCorpus(t)
	perLang := map[string]*tally{}
	perRule := map[string]*tally{}
	count := map[string]int{}
	negatives := map[string]int{}
	for _, cf := range files {
		ln := cf.lang.String()
		count[ln]++
		if len(cf.want) == 0 {
			negatives[ln]++
		}
		fs, err := s.Scan(context.Background(), scanners.Input{Path: cf.path, Content: cf.src})
		if err != nil {
			t.Errorf("%s: %v", cf.path, err)
			continue
		}
		got := map[label]bool{}
		for _, f := range fs {
			got[label{cf.path, f.Range.StartLine, strings.TrimPrefix(f.Rule.ID, "sast/")}] = true
		}
		want := map[label]bool{}
		for _, w := range cf.want {
			want[w] = true
		}
		bump := func(l label, f func(*tally)) {
			for m, k := range map[*map[string]*tally]string{&perLang: ln, &perRule: l.rule} {
				if (*m)[k] == nil {
					(*m)[k] = &tally{}
				}
				f((*m)[k])
			}
		}
		for l := range want {
			if got[l] {
				bump(l, func(t *tally) { t.tp++ })
			} else {
				bump(l, func(t *tally) { t.fn++ })
				t.Logf("missed   %s:%d %s", l.path, l.line, l.rule)
			}
		}
		for l := range got {
			if !want[l] {
				bump(l, func(t *tally) { t.fp++ })
				t.Logf("spurious %s:%d %s", l.path, l.line, l.rule)
			}
		}
	}
	report := func(title string, m map[string]*tally) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		fmt.Fprintf(&b, "%-24s %5s %5s %5s %8s %9s\n", title, "TP", "FP", "FN", "recall", "precision")
		for _, k := range keys {
			v := m[k]
			fmt.Fprintf(&b, "%-24s %5d %5d %5d %7.0f%% %8.0f%%\n", k, v.tp, v.fp, v.fn, 100*v.recall(), 100*v.precision())
		}
		t.Log("\n" + b.String())
	}
	report("language", perLang)
	report("rule", perRule)
	for _, l := range []string{"go", "python", "javascript", "java"} {
		if count[l] < 25 {
			t.Errorf("corpus has %d %s changes, want at least 25", count[l], l)
		}
		if negatives[l]*4 < count[l] {
			t.Errorf("corpus has %d negative %s changes of %d, want about a third", negatives[l], l, count[l])
		}
		v := perLang[l]
		if v == nil {
			continue
		}
		if v.recall() < 0.8 {
			t.Errorf("%s recall %.0f%% < 80%%", l, 100*v.recall())
		}
		if v.precision() < 0.9 {
			t.Errorf("%s precision %.0f%% < 90%%", l, 100*v.precision())
		}
	}
}
