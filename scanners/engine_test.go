package scanners_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/scannertest"
)

// tokenScanner reports every "DANGER(x)" with match x.
type tokenScanner struct{ calls *int }

var tokenRule = scanners.Rule{ID: "tok/danger", Kind: scanners.KindSAST, Severity: scanners.Medium, Title: "Danger", Why: "w", Fix: "f"}
var tokenRE = regexp.MustCompile(`DANGER\((\w+)\)`)

func (tokenScanner) Name() string            { return "tok" }
func (tokenScanner) Version() int            { return 1 }
func (tokenScanner) Rules() []scanners.Rule  { return []scanners.Rule{tokenRule} }
func (tokenScanner) Wants(f *diff.File) bool { return !strings.HasSuffix(f.Path, ".skip") }
func (s tokenScanner) Scan(ctx context.Context, in scanners.Input) ([]scanners.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.calls != nil {
		*s.calls++
	}
	var out []scanners.Finding
	for i, line := range strings.Split(string(in.Content), "\n") {
		for _, m := range tokenRE.FindAllStringSubmatchIndex(line, -1) {
			out = append(out, scanners.Finding{Rule: tokenRule, Range: scanners.Range{StartLine: i + 1, StartCol: m[0] + 1, EndLine: i + 1},
				Message: "danger " + line[m[2]:m[3]], Match: line[m[2]:m[3]]})
		}
	}
	return out, nil
}

func run(t *testing.T, cs *diff.ChangeSet, opts ...scanners.Option) *scanners.Report {
	t.Helper()
	e, err := scanners.NewEngine([]scanners.Scanner{tokenScanner{}}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func startLines(fs []scanners.Finding) []int {
	var out []int
	for _, f := range fs {
		out = append(out, f.Range.StartLine)
	}
	return out
}

func TestIntroducedBySetDifference(t *testing.T) {
	tests := []struct {
		name       string
		base, head string
		want       []int
	}{
		{"added file", "", "a\nDANGER(x)\n", []int{2}},
		{"unchanged finding moved down", "DANGER(x)\n", "new\nline\nDANGER(x)\n", nil},
		{"new match added", "DANGER(x)\n", "DANGER(x)\nDANGER(y)\n", []int{2}},
		{"second identical occurrence added above", "a\nDANGER(x)\n", "DANGER(x)\na\nDANGER(x)\n", []int{1}},
		{"finding removed", "DANGER(x)\n", "fixed\n", nil},
		{"edit on the line keeps the match", "x := DANGER(x)\n", "y := DANGER(x) // edited\n", nil},
		{"identical base and head: nothing new", "DANGER(a)\n", "DANGER(a)\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var base []byte
			if tt.base != "" {
				base = []byte(tt.base)
			}
			rep := run(t, scannertest.ChangeSet(scannertest.NewFile("f.go", base, []byte(tt.head))))
			if got := startLines(rep.Findings); !equal(got, tt.want) {
				t.Errorf("findings at lines %v, want %v", got, tt.want)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFingerprintStableAcrossShiftsAndDistinctPerOccurrence(t *testing.T) {
	a := run(t, scannertest.ChangeSet(scannertest.NewFile("f.go", nil, []byte("DANGER(x)\nDANGER(x)\n"))))
	b := run(t, scannertest.ChangeSet(scannertest.NewFile("f.go", nil, []byte("\n\nDANGER(x)\n\nDANGER(x)\n"))))
	if len(a.Findings) != 2 || len(b.Findings) != 2 {
		t.Fatalf("got %d and %d findings, want 2 and 2", len(a.Findings), len(b.Findings))
	}
	for i := range a.Findings {
		if a.Findings[i].Fingerprint != b.Findings[i].Fingerprint {
			t.Errorf("finding %d: fingerprint changed with a line shift", i)
		}
	}
	if a.Findings[0].Fingerprint == a.Findings[1].Fingerprint {
		t.Error("two occurrences share a fingerprint")
	}
	c := run(t, scannertest.ChangeSet(scannertest.NewFile("g.go", nil, []byte("DANGER(x)\n"))))
	if c.Findings[0].Fingerprint == a.Findings[0].Fingerprint {
		t.Error("fingerprint does not depend on the path")
	}
}

func TestPlacement(t *testing.T) {
	// A finding that is new by set difference but on an unchanged line is kept
	// with placement InFile: "annotate, don't drop".
	f := scannertest.NewFile("f.go", []byte("DANGER(a)\nDANGER(a)\n"), []byte("DANGER(b)\nDANGER(a)\nDANGER(a)\n"))
	f.Added = diff.NewLineSet(1)
	rep := run(t, scannertest.ChangeSet(f))
	if len(rep.Findings) != 1 || rep.Findings[0].Placement != scanners.InChangedLines {
		t.Fatalf("findings = %+v, want one in changed lines", rep.Findings)
	}
	g := scannertest.NewFile("g.go", []byte("x\n"), []byte("DANGER(q)\nx\n"))
	g.Added = diff.NewLineSet(2) // pretend the diff says only line 2 changed
	rep = run(t, scannertest.ChangeSet(g))
	if len(rep.Findings) != 1 || rep.Findings[0].Placement != scanners.InFile {
		t.Fatalf("findings = %+v, want one InFile", rep.Findings)
	}
}

func TestInlineSuppression(t *testing.T) {
	tests := []struct {
		name, base, head string
		findings         []int // start lines of reported findings
		suppressed       int
		notice           bool
	}{
		{"same line, added by the change", "", "DANGER(x) // picket:ignore tok/danger test value\n", []int{1}, 1, true},
		{"line above", "", "# picket:ignore false positive\nDANGER(x)\n", []int{1}, 1, true},
		{"gitleaks allow", "", "DANGER(x) # gitleaks:allow\n", []int{1}, 1, true},
		{"other rule id does not suppress", "", "DANGER(x) // picket:ignore secrets/aws-key\n", []int{1}, 0, false},
		{"glob rule id", "", "DANGER(x) // picket:ignore tok/* reason\n", []int{1}, 1, true},
		{"directive already in base: no notice", "// picket:ignore\nDANGER(y)\n", "// picket:ignore\nDANGER(x)\n", nil, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var base []byte
			if tt.base != "" {
				base = []byte(tt.base)
			}
			rep := run(t, scannertest.ChangeSet(scannertest.NewFile("f.py", base, []byte(tt.head))))
			if got := startLines(rep.Findings); !equal(got, tt.findings) {
				t.Errorf("findings at %v, want %v", got, tt.findings)
			}
			if len(rep.Suppressed) != tt.suppressed {
				t.Errorf("suppressed = %d, want %d", len(rep.Suppressed), tt.suppressed)
			}
			notice := len(rep.Findings) > 0 && rep.Findings[0].Rule.ID == scanners.SuppressionRule.ID
			if notice != tt.notice {
				t.Errorf("suppression notice = %v, want %v (%+v)", notice, tt.notice, rep.Findings)
			}
			if notice && rep.Findings[0].Severity != scanners.Info {
				t.Errorf("notice severity = %v, want info", rep.Findings[0].Severity)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	cs := func() *diff.ChangeSet {
		return scannertest.ChangeSet(
			scannertest.NewFile("src/a.go", nil, []byte("DANGER(a)\n")),
			scannertest.NewFile("testdata/b.go", nil, []byte("DANGER(b)\n")),
		)
	}
	all := run(t, cs())
	if len(all.Findings) != 2 {
		t.Fatalf("got %d findings, want 2", len(all.Findings))
	}
	t.Run("exclude", func(t *testing.T) {
		rep := run(t, cs(), scanners.WithPolicy(scanners.Policy{Exclude: []string{"**/testdata/**", "testdata/**"}}))
		if len(rep.Findings) != 1 || rep.Files[1].Skip == nil || rep.Files[1].Skip.Code != diff.SkipExcluded {
			t.Errorf("findings %v, files %+v", rep.Findings, rep.Files)
		}
	})
	t.Run("disable by glob", func(t *testing.T) {
		rep := run(t, cs(), scanners.WithPolicy(scanners.Policy{Disabled: []string{"tok/*"}}))
		if len(rep.Findings) != 0 {
			t.Errorf("got %d findings, want 0", len(rep.Findings))
		}
	})
	t.Run("severity override", func(t *testing.T) {
		rep := run(t, cs(), scanners.WithPolicy(scanners.Policy{Severity: map[string]scanners.Severity{"tok/danger": scanners.Critical}}))
		if rep.Findings[0].Severity != scanners.Critical || rep.CountAtOrAbove(scanners.Critical) != 2 {
			t.Errorf("severity = %v", rep.Findings[0].Severity)
		}
	})
	t.Run("baseline by full and short fingerprint", func(t *testing.T) {
		b := &scanners.Baseline{Version: 1}
		b.Add(scanners.BaselineEntry{Fingerprint: all.Findings[0].Fingerprint, Reason: "accepted"})
		b.Add(scanners.BaselineEntry{Fingerprint: scanners.Fingerprint(all.Findings[1].Fingerprint.Short())})
		rep := run(t, cs(), scanners.WithPolicy(scanners.Policy{Accepted: b}))
		if len(rep.Findings) != 0 || len(rep.Suppressed) != 2 || rep.Suppressed[0].By != "baseline" {
			t.Errorf("findings %v suppressed %+v", rep.Findings, rep.Suppressed)
		}
	})
	t.Run("invalid glob", func(t *testing.T) {
		if _, err := scanners.NewEngine(nil, scanners.WithPolicy(scanners.Policy{Exclude: []string{"a/[b"}})); err == nil {
			t.Error("NewEngine accepted an invalid glob")
		}
	})
}

func TestBaselineRoundTrip(t *testing.T) {
	rep := run(t, scannertest.ChangeSet(scannertest.NewFile("a.go", nil, []byte("DANGER(a)\n"))))
	var buf strings.Builder
	if err := scanners.NewBaseline(rep.Findings, "initial").Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := scanners.ReadBaseline(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Accepts(rep.Findings[0].Fingerprint); !ok {
		t.Error("round-tripped baseline does not accept its own finding")
	}
	for _, bad := range []string{`{"version":2,"findings":[]}`, `{"version":1,"findings":[{"fingerprint":"abc"}]}`, `{"version":1,"extra":1}`, `[`} {
		if _, err := scanners.ReadBaseline(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadBaseline(%s) succeeded, want an error", bad)
		}
	}
}

func TestSkipsAndOutcomes(t *testing.T) {
	link := scannertest.NewFile("link", nil, []byte("DANGER(a)"))
	link.Mode = diff.ModeSymlink
	bin := scannertest.NewFile("img.png", nil, []byte("DANGER(a)\x00\x01"))
	rename := scannertest.NewFile("new.go", []byte("DANGER(a)\n"), []byte("DANGER(a)\n"))
	rename.Status, rename.OldPath, rename.BaseBlob = diff.Renamed, "old.go", rename.HeadBlob
	big := scannertest.NewFile("big.go", nil, []byte(strings.Repeat("DANGER(a)\n", 100)))
	rep := run(t, scannertest.ChangeSet(link, bin, rename, big), scanners.WithLimits(diff.Limits{MaxFileSize: 100}))
	want := []diff.SkipCode{diff.SkipSymlink, diff.SkipBinary, diff.SkipUnchanged, diff.SkipTooLarge}
	for i, w := range want {
		if rep.Files[i].Outcome != scanners.Skipped || rep.Files[i].Skip.Code != w {
			t.Errorf("file %s: outcome %s skip %v, want skipped %s", rep.Files[i].Path, rep.Files[i].Outcome, rep.Files[i].Skip, w)
		}
	}
	if len(rep.Findings) != 0 || rep.Stats.Skipped != 4 {
		t.Errorf("findings %d skipped %d", len(rep.Findings), rep.Stats.Skipped)
	}
}

type memCache struct {
	mu sync.Mutex
	m  map[scanners.CacheKey]scanners.CachedFile
}

func (c *memCache) Get(_ context.Context, k scanners.CacheKey) (scanners.CachedFile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memCache) Put(_ context.Context, k scanners.CacheKey, v scanners.CachedFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

func TestCacheReusesUnchangedFiles(t *testing.T) {
	cache := &memCache{m: map[scanners.CacheKey]scanners.CachedFile{}}
	calls := 0
	e, err := scanners.NewEngine([]scanners.Scanner{tokenScanner{calls: &calls}}, scanners.WithCache(cache), scanners.WithConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	cs := func(second string) *diff.ChangeSet {
		a := scannertest.NewFile("a.go", nil, []byte("DANGER(a)\n"))
		src := a.Source
		a.Source = diff.SourceFunc(func(ctx context.Context, f *diff.File, s diff.Side) ([]byte, error) {
			reads++
			return src.Read(ctx, f, s)
		})
		return scannertest.ChangeSet(a, scannertest.NewFile("b.go", nil, []byte(second)))
	}
	first, err := e.Run(context.Background(), cs("DANGER(b)\n"))
	if err != nil {
		t.Fatal(err)
	}
	calls, reads = 0, 0
	second, err := e.Run(context.Background(), cs("DANGER(c)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || reads != 0 {
		t.Errorf("second run: %d scans and %d reads of a.go, want 1 scan (b.go) and 0 reads", calls, reads)
	}
	if second.Stats.Reused != 1 || second.Files[0].Outcome != scanners.Reused {
		t.Errorf("second run stats %+v", second.Stats)
	}
	if second.Findings[0].Fingerprint != first.Findings[0].Fingerprint || len(second.Findings) != 2 {
		t.Errorf("reused findings differ: %+v vs %+v", second.Findings, first.Findings)
	}
}

func TestCancelledRunReturnsContextError(t *testing.T) {
	e, err := scanners.NewEngine([]scanners.Scanner{tokenScanner{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := e.Run(ctx, scannertest.ChangeSet(scannertest.NewFile("a.go", nil, []byte("DANGER(a)\n"))))
	if !errors.Is(err, context.Canceled) || rep != nil {
		t.Errorf("Run = %v, %v; want nil, context.Canceled", rep, err)
	}
}

type failing struct{ tokenScanner }

func (failing) Scan(context.Context, scanners.Input) ([]scanners.Finding, error) {
	return nil, errors.New("parse error at line 3")
}

func TestScannerErrorIsData(t *testing.T) {
	e, err := scanners.NewEngine([]scanners.Scanner{failing{}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(context.Background(), scannertest.ChangeSet(scannertest.NewFile("a.go", nil, []byte("x"))))
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) != 1 || errs[0].Path != "a.go" || !strings.Contains(errs[0].Error, "line 3") {
		t.Errorf("errors = %+v", errs)
	}
}

func TestDuplicateRuleIDsRejected(t *testing.T) {
	if _, err := scanners.NewEngine([]scanners.Scanner{tokenScanner{}, tokenScanner{}}); err == nil {
		t.Error("NewEngine accepted two scanners with the same rule id")
	}
}

func TestDeterministicOrder(t *testing.T) {
	var files []*diff.File
	for _, p := range []string{"z.go", "a.go", "m/x.go", "b.go"} {
		files = append(files, scannertest.NewFile(p, nil, []byte("DANGER(b)\nDANGER(a) DANGER(c)\n")))
	}
	rep := run(t, scannertest.ChangeSet(files...), scanners.WithConcurrency(4))
	prev := scanners.Finding{}
	for i, f := range rep.Findings {
		if i > 0 && (f.Path < prev.Path || f.Path == prev.Path && (f.Range.StartLine < prev.Range.StartLine ||
			f.Range.StartLine == prev.Range.StartLine && f.Range.StartCol < prev.Range.StartCol)) {
			t.Errorf("finding %d (%s:%d) out of order after %s:%d", i, f.Path, f.Range.StartLine, prev.Path, prev.Range.StartLine)
		}
		prev = f
	}
}

type panicking struct{ tokenScanner }

func (panicking) Scan(context.Context, scanners.Input) ([]scanners.Finding, error) {
	var m map[string]int
	m["x"]++ // nil map write
	return nil, nil
}

func TestScannerPanicIsRecordedNotFatal(t *testing.T) {
	e, err := scanners.NewEngine([]scanners.Scanner{panicking{}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(context.Background(), scannertest.ChangeSet(scannertest.NewFile("a.go", nil, []byte("x")), scannertest.NewFile("b.go", nil, []byte("y"))))
	if err != nil {
		t.Fatal(err)
	}
	if errs := rep.Errors(); len(errs) != 2 || !strings.Contains(errs[0].Error, "crashed") {
		t.Errorf("errors = %+v, want one crash per file", errs)
	}
}
