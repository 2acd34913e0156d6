package build

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
)

// corpusDir is the labelled corpus of pull-request changes.
const corpusDir = "../../testdata/build"

// corpusCase is one labelled change: a file's base (nil when added) and
// head, and the (rule, head line) pairs a correct scanner reports.
type corpusCase struct {
	name, path string
	base, head []byte
	expect     map[string]bool // "rule:line"
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		c := corpusCase{name: filepath.Base(f), expect: map[string]bool{}}
		for _, l := range strings.Split(string(ar.Comment), "\n") {
			fields := strings.Fields(l)
			switch {
			case len(fields) == 2 && fields[0] == "path":
				c.path = fields[1]
			case len(fields) == 3 && fields[0] == "expect":
				if _, err := strconv.Atoi(fields[2]); err != nil {
					t.Fatalf("%s: bad line in %q", f, l)
				}
				c.expect["build/"+fields[1]+":"+fields[2]] = true
			case len(fields) > 0:
				t.Fatalf("%s: unknown header line %q", f, l)
			}
		}
		for _, af := range ar.Files {
			switch af.Name {
			case "base":
				c.base = af.Data
			case "head":
				c.head = af.Data
			default:
				t.Fatalf("%s: unknown file %q", f, af.Name)
			}
		}
		if c.path == "" || c.head == nil {
			t.Fatalf("%s: want a path line and a head file", f)
		}
		out = append(out, c)
	}
	return out
}

// TestCorpus runs the scanner over every labelled change through a real
// engine and reports recall and precision per rule. Info rules (new
// hosts, pipeline changes, registry moves) are notices, not verdicts,
// and are left out of the measure; their behaviour is fixed by the rule
// fixtures.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 120 {
		t.Fatalf("corpus has %d cases, want at least 120", len(cases))
	}
	s := newScanner(t, config.Default().Build)
	type count struct{ tp, fp, fn int }
	counts := map[string]*count{}
	get := func(r string) *count {
		if counts[r] == nil {
			counts[r] = &count{}
		}
		return counts[r]
	}
	for _, r := range s.Rules() {
		if r.Severity > scanners.Info {
			get(r.ID)
		}
	}
	for _, c := range cases {
		f := scannertest.NewFile(c.path, c.base, c.head)
		if !s.Wants(f) {
			t.Errorf("%s: Wants(%s) = false", c.name, c.path)
			continue
		}
		rep := scannertest.Scan(t, s, f)
		got := map[string]bool{}
		for _, x := range rep.Findings {
			if strings.Contains(x.Message, "PICKET_E") || strings.Contains(x.Message, "MAKEVAR") {
				t.Errorf("%s: message shows a parser placeholder: %s", c.name, x.Message)
			}
			if x.Rule.Severity == scanners.Info {
				continue
			}
			key := fmt.Sprintf("%s:%d", x.Rule.ID, x.Range.StartLine)
			got[key] = true
			if c.expect[key] {
				get(x.Rule.ID).tp++
			} else {
				get(x.Rule.ID).fp++
				t.Logf("%s: unexpected %s: %s", c.name, key, x.Message)
			}
		}
		for key := range c.expect {
			if !got[key] {
				get(key[:strings.LastIndex(key, ":")]).fn++
				t.Logf("%s: missed %s", c.name, key)
			}
		}
	}
	var ids []string
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := counts[id]
		recall, precision := ratio(c.tp, c.tp+c.fn), ratio(c.tp, c.tp+c.fp)
		t.Logf("%-34s tp=%-3d fp=%-3d fn=%-3d recall=%5.1f%% precision=%5.1f%%", id, c.tp, c.fp, c.fn, 100*recall, 100*precision)
		if c.tp+c.fn == 0 {
			t.Errorf("%s: no labelled positive in the corpus", id)
			continue
		}
		if recall < 0.9 || precision < 0.9 {
			t.Errorf("%s: recall %.0f%%, precision %.0f%%; want at least 90%% each", id, 100*recall, 100*precision)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
