package scannertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

// Run is the conformance test every scanner calls with its fixture
// directory (usually "testdata/rules"). See the package doc for what it
// checks.
func Run(t *testing.T, s scanners.Scanner, dir string) {
	t.Helper()
	checkRules(t, s)
	for _, r := range s.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			fx, err := Load(dir, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			checkFixture(t, s, fx)
		})
	}
}

// checkRules checks ids, prefixes and metadata.
func checkRules(t *testing.T, s scanners.Scanner) {
	t.Helper()
	if len(s.Rules()) == 0 {
		t.Fatalf("scanner %s has no rules", s.Name())
	}
	seen := map[string]bool{}
	for _, r := range s.Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if !strings.HasPrefix(r.ID, s.Name()+"/") {
			t.Errorf("rule %s: id must start with %q", r.ID, s.Name()+"/")
		}
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	}
	if _, err := scanners.NewEngine([]scanners.Scanner{s}); err != nil {
		t.Errorf("NewEngine: %v", err)
	}
}

// checkFixture runs every case of one rule's fixture.
func checkFixture(t *testing.T, s scanners.Scanner, fx *Fixture) {
	var pos, neg int
	for _, c := range fx.Cases {
		if c.Positive {
			pos++
		} else {
			neg++
		}
		t.Run(c.Name(), func(t *testing.T) {
			checkCase(t, s, c, fx.Secrets)
		})
	}
	if pos == 0 || neg == 0 {
		t.Errorf("rule %s: fixture has %d positive and %d negative cases; want at least one of each", fx.Rule, pos, neg)
	}
}

func checkCase(t *testing.T, s scanners.Scanner, c Case, secrets []string) {
	f := NewFile(c.Path, c.Base, c.Head)
	if !s.Wants(f) {
		t.Fatalf("Wants(%s) = false, want true for a fixture path", c.Path)
	}
	rep := Scan(t, s, f)
	got := lines(rep.Findings, c.Rule)
	switch {
	case !c.Positive && len(got) > 0:
		t.Errorf("negative case: rule %s fired at lines %v; want none\n%s", c.Rule, got, describe(rep.Findings))
	case c.Positive && len(got) == 0:
		t.Errorf("positive case: rule %s did not fire\n%s", c.Rule, describe(rep.Findings))
	case c.Positive && c.Expect != nil && !slices.Equal(got, c.Expect):
		t.Errorf("positive case: rule %s fired at lines %v; want %v\n%s", c.Rule, got, c.Expect, describe(rep.Findings))
	}
	checkShift(t, s, c, rep)
	checkDeterministic(t, s, c, rep)
	checkNoSecrets(t, rep, secrets)
	if c.Positive {
		checkCancel(t, s, f)
	}
}

// Scan runs s through a real engine over one file and returns the report.
func Scan(t testing.TB, s scanners.Scanner, files ...*diff.File) *scanners.Report {
	t.Helper()
	e, err := scanners.NewEngine([]scanners.Scanner{s})
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	rep, err := e.Run(context.Background(), ChangeSet(files...))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, fe := range rep.Errors() {
		t.Errorf("scanner error on %s: %s", fe.Path, fe.Error)
	}
	return rep
}

// lines returns the sorted distinct start lines where rule fired.
func lines(fs []scanners.Finding, rule string) []int {
	var out []int
	for _, f := range fs {
		if f.Rule.ID == rule && !slices.Contains(out, f.Range.StartLine) {
			out = append(out, f.Range.StartLine)
		}
	}
	slices.Sort(out)
	return out
}

func describe(fs []scanners.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d %s: %s\n", f.Path, f.Range.StartLine, f.Rule.ID, f.Message)
	}
	if b.Len() == 0 {
		return "  (no findings)"
	}
	return b.String()
}

// checkShift inserts blank lines at the top and expects the same fingerprints.
func checkShift(t *testing.T, s scanners.Scanner, c Case, rep *scanners.Report) {
	shift := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		return append([]byte("\n\n\n"), b...)
	}
	shifted := Scan(t, s, NewFile(c.Path, shift(c.Base), shift(c.Head)))
	want, got := fingerprints(rep.Findings), fingerprints(shifted.Findings)
	if !slices.Equal(want, got) {
		t.Errorf("fingerprints changed when 3 lines were inserted above:\n before %v\n after  %v", want, got)
	}
}

func fingerprints(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Fingerprint))
	}
	slices.Sort(out)
	return out
}

// checkDeterministic runs the case again and compares the JSON output.
func checkDeterministic(t *testing.T, s scanners.Scanner, c Case, rep *scanners.Report) {
	again := Scan(t, s, NewFile(c.Path, c.Base, c.Head))
	a, _ := json.Marshal(rep.Findings)
	b, _ := json.Marshal(again.Findings)
	if !bytes.Equal(a, b) {
		t.Errorf("two runs gave different findings:\n%s\n%s", a, b)
	}
}

// checkNoSecrets renders the findings every way a program might and looks
// for the planted values.
func checkNoSecrets(t *testing.T, rep *scanners.Report, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	var out bytes.Buffer
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("marshal report: %v", err)
	}
	out.Write(js)
	log := slog.New(slog.NewJSONHandler(&out, nil))
	for _, f := range rep.Findings {
		fmt.Fprintf(&out, "%v %+v %#v %s %q", f, f, f, f.Evidence, f.Message)
		log.Info("finding", "finding", f, "evidence", f.Evidence)
		if f.Fix != nil {
			out.WriteString(f.Fix.Replacement + f.Fix.Description)
		}
	}
	for _, e := range rep.Errors() {
		out.WriteString(e.Error)
	}
	for _, sec := range secrets {
		if bytes.Contains(out.Bytes(), []byte(sec)) {
			t.Errorf("planted secret %.4s… (%d chars) appears in the output", sec, len(sec))
		}
	}
}

// checkCancel expects Scan to honour a cancelled context.
func checkCancel(t *testing.T, s scanners.Scanner, f *diff.File) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	head, err := f.Content(context.Background(), diff.Head)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Scan(ctx, scanners.Input{File: f, Side: diff.Head, Path: f.Path, Content: head})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context returned %v, want context.Canceled", err)
	}
}
