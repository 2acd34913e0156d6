package scanners

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/sourcegraph/conc/pool"

	"github.com/picketsec/picket/diff"
)

// Engine runs scanners over a change set and keeps what the change
// introduces. An Engine is immutable and safe for concurrent use.
type Engine struct {
	scanners    []Scanner
	rules       map[string]Rule
	policy      Policy
	limits      diff.Limits
	concurrency int
	cache       Cache
	log         *slog.Logger
}

// Option configures an Engine.
type Option func(*Engine)

// WithPolicy sets excludes, disabled rules, severity overrides and accepted fingerprints.
func WithPolicy(p Policy) Option { return func(e *Engine) { e.policy = p } }

// WithLimits sets the file size cap.
func WithLimits(l diff.Limits) Option { return func(e *Engine) { e.limits = l } }

// WithConcurrency bounds the number of files scanned at once (default GOMAXPROCS).
func WithConcurrency(n int) Option { return func(e *Engine) { e.concurrency = n } }

// WithCache reuses per-blob results across runs.
func WithCache(c Cache) Option { return func(e *Engine) { e.cache = c } }

// WithLogger sets the logger for per-file problems (never evidence).
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// NewEngine checks the scanners' rules (unique ids, complete metadata) and
// the policy's globs, and returns an engine.
func NewEngine(scanners []Scanner, opts ...Option) (*Engine, error) {
	e := &Engine{scanners: scanners, rules: map[string]Rule{SuppressionRule.ID: SuppressionRule},
		concurrency: runtime.GOMAXPROCS(0), log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(e)
	}
	for _, s := range scanners {
		for _, r := range s.Rules() {
			if err := r.Validate(); err != nil {
				return nil, fmt.Errorf("scanner %s: %w", s.Name(), err)
			}
			if _, dup := e.rules[r.ID]; dup {
				return nil, fmt.Errorf("scanner %s: duplicate rule id %s", s.Name(), r.ID)
			}
			e.rules[r.ID] = r
		}
	}
	for _, g := range e.policy.Exclude {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("exclude: invalid glob %q", g)
		}
	}
	if e.concurrency < 1 {
		e.concurrency = 1
	}
	return e, nil
}

// Rules returns every rule of every scanner, sorted by id.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, 0, len(e.rules))
	for _, r := range e.rules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Scanners returns the engine's scanners.
func (e *Engine) Scanners() []Scanner { return e.scanners }

// fileRun is what scanning one file produced.
type fileRun struct {
	result     FileResult
	findings   []Finding
	suppressed []SuppressedFinding
	errs       map[string]error // scanner name → error
	ran        map[string]int   // scanner name → findings
}

// Run scans every file of cs. It returns an error only when there is no
// result at all (a cancelled context); per-file failures are in the report.
func (e *Engine) Run(ctx context.Context, cs *diff.ChangeSet) (*Report, error) {
	start := time.Now()
	runs := make([]fileRun, len(cs.Files))
	p := pool.New().WithMaxGoroutines(e.concurrency).WithContext(ctx)
	for i, f := range cs.Files {
		p.Go(func(ctx context.Context) error {
			runs[i] = e.scanFile(ctx, f)
			return ctx.Err()
		})
	}
	if err := p.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep := e.assemble(cs, runs)
	if err := e.runCrossFile(ctx, cs, rep); err != nil {
		return nil, err
	}
	sortFindings(rep.Findings)
	rep.Stats.Duration = time.Since(start)
	return rep, nil
}

// assemble merges the per-file runs in change-set order.
func (e *Engine) assemble(cs *diff.ChangeSet, runs []fileRun) *Report {
	rep := &Report{Base: cs.Base, Head: cs.Head, Findings: []Finding{}}
	status := make([]ScannerStatus, len(e.scanners))
	for i, s := range e.scanners {
		status[i] = ScannerStatus{Name: s.Name(), Version: s.Version()}
	}
	for i, r := range runs {
		rep.Files = append(rep.Files, r.result)
		rep.Findings = append(rep.Findings, r.findings...)
		rep.Suppressed = append(rep.Suppressed, r.suppressed...)
		rep.Stats.Files++
		rep.Stats.Bytes += r.result.Bytes
		switch r.result.Outcome {
		case Scanned:
			rep.Stats.Scanned++
		case Skipped:
			rep.Stats.Skipped++
		case Reused:
			rep.Stats.Reused++
		}
		for j, s := range e.scanners {
			n, ran := r.ran[s.Name()]
			if !ran {
				continue
			}
			status[j].Files++
			status[j].Findings += n
			if err := r.errs[s.Name()]; err != nil {
				status[j].Errors = append(status[j].Errors, FileError{Path: cs.Files[i].Path, Error: err.Error()})
			}
		}
	}
	rep.Scanners = status
	return rep
}

// runCrossFile runs the scanners with the CrossFile capability.
func (e *Engine) runCrossFile(ctx context.Context, cs *diff.ChangeSet, rep *Report) error {
	for i, s := range e.scanners {
		cf, ok := s.(CrossFile)
		if !ok {
			continue
		}
		fs, err := cf.ScanSet(ctx, cs)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			rep.Scanners[i].Errors = append(rep.Scanners[i].Errors, FileError{Path: "*", Error: err.Error()})
			continue
		}
		byPath := map[string][]Finding{}
		for _, f := range fs {
			if e.policy.disabled(f.Rule.ID) {
				continue
			}
			byPath[f.Path] = append(byPath[f.Path], f)
		}
		for p, group := range byPath {
			file := cs.File(p)
			fs := assignFingerprints(p, group, 0)
			for k := range fs {
				fs[k].Placement = placement(file, fs[k].Range)
			}
			var run fileRun
			e.applyPolicy(&run, fs, nil)
			rep.Findings = append(rep.Findings, run.findings...)
			rep.Suppressed = append(rep.Suppressed, run.suppressed...)
			rep.Scanners[i].Findings += len(run.findings)
		}
	}
	return nil
}

// sortFindings orders findings by path, line, column, rule and fingerprint.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Range.StartLine != b.Range.StartLine:
			return a.Range.StartLine < b.Range.StartLine
		case a.Range.StartCol != b.Range.StartCol:
			return a.Range.StartCol < b.Range.StartCol
		case a.Rule.ID != b.Rule.ID:
			return a.Rule.ID < b.Rule.ID
		}
		return a.Fingerprint < b.Fingerprint
	})
}
