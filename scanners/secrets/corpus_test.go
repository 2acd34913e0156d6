package secrets

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/picketsec/picket/scanners"
)

// corpusCase is one labelled file of testdata/secrets (see its README).
type corpusCase struct {
	Case   string `json:"case"`
	Path   string `json:"path"`
	Note   string `json:"note"`
	Expect []struct {
		Rule string `json:"rule"`
		Line int    `json:"line"`
	} `json:"expect"`
}

// TestCorpus scans the labelled corpus and fails below 95% recall or 95%
// precision, overall. It logs both per rule family.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "secrets")
	data, err := os.ReadFile(filepath.Join(root, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("labels.json: %v", err)
	}
	if len(cases) < 150 {
		t.Errorf("corpus has %d cases, want at least 150", len(cases))
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	family := map[string]string{}
	for _, r := range s.builtin.rules {
		family[r.meta.ID] = r.family
	}
	type counts struct{ tp, fn, fp int }
	byFamily := map[string]*counts{}
	get := func(rule string) *counts {
		f := family[rule]
		if f == "" {
			f = "unknown"
		}
		if byFamily[f] == nil {
			byFamily[f] = &counts{}
		}
		return byFamily[f]
	}
	var total counts
	for _, c := range cases {
		content, err := os.ReadFile(filepath.Join(root, "cases", c.Case, filepath.FromSlash(c.Path)))
		if err != nil {
			t.Fatal(err)
		}
		fs, err := s.Scan(context.Background(), scanners.Input{Path: c.Path, Content: content})
		if err != nil {
			t.Fatalf("%s: %v", c.Case, err)
		}
		found := map[string]bool{}
		for _, f := range fs {
			found[fmt.Sprintf("%s:%d", f.Rule.ID, f.Range.StartLine)] = true
		}
		want := map[string]bool{}
		for _, e := range c.Expect {
			key := fmt.Sprintf("%s:%d", e.Rule, e.Line)
			want[key] = true
			if found[key] {
				total.tp++
				get(e.Rule).tp++
			} else {
				total.fn++
				get(e.Rule).fn++
				t.Logf("missed   %s %s (%s): %s", c.Case, c.Path, c.Note, key)
			}
		}
		for _, f := range fs {
			key := fmt.Sprintf("%s:%d", f.Rule.ID, f.Range.StartLine)
			if !want[key] {
				total.fp++
				get(f.Rule.ID).fp++
				t.Logf("spurious %s %s (%s): %s", c.Case, c.Path, c.Note, key)
			}
		}
	}
	ratio := func(a, b int) float64 {
		if a+b == 0 {
			return 1
		}
		return float64(a) / float64(a+b)
	}
	names := make([]string, 0, len(byFamily))
	for f := range byFamily {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		c := byFamily[f]
		t.Logf("%-14s recall %5.1f%%  precision %5.1f%%  (tp %d, fn %d, fp %d)", f, 100*ratio(c.tp, c.fn), 100*ratio(c.tp, c.fp), c.tp, c.fn, c.fp)
	}
	recall, precision := ratio(total.tp, total.fn), ratio(total.tp, total.fp)
	t.Logf("overall        recall %5.1f%%  precision %5.1f%%  (tp %d, fn %d, fp %d, %d cases)", 100*recall, 100*precision, total.tp, total.fn, total.fp, len(cases))
	if recall < 0.95 {
		t.Errorf("recall %.1f%% < 95%%", 100*recall)
	}
	if precision < 0.95 {
		t.Errorf("precision %.1f%% < 95%%", 100*precision)
	}
}
