package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/registry"
	"github.com/picketsec/picket/scanners/report"
)

// scanFlags are the flags of `picket scan`.
type scanFlags struct {
	repo, base, head string
	staged           bool
	diffFile         string
	format, output   string
	configPath       string
	failOn           string
	baseline         string
	writeBaseline    string
	maxFileSize      int64
}

const scanUsage = `Usage: picket scan [flags]

Scans what a change introduces: by default the commits on HEAD since the
merge-base with the default branch. Exit codes: 0 nothing at or above
--fail-on, 1 findings at or above it, 2 error.

Configuration precedence: flags override the configuration file
(--config, default <repo>/.github/picket.yml), which overrides the
defaults. See docs/configuration.md.

Examples:
  picket scan                                  # this branch against the default branch
  picket scan --base HEAD~1 --head HEAD        # the last commit
  picket scan --staged                         # the index against HEAD (pre-commit)
  git diff main | picket scan --diff -         # a unified diff from stdin
  picket scan --format sarif --output picket.sarif

Flags:
`

func newScanFlags() (*flag.FlagSet, *scanFlags) {
	f := &scanFlags{}
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.StringVar(&f.repo, "repo", ".", "git repository to scan")
	fs.StringVar(&f.base, "base", "", "base revision (default: merge-base of --head with the default branch)")
	fs.StringVar(&f.head, "head", "HEAD", "head revision")
	fs.BoolVar(&f.staged, "staged", false, "scan the index against HEAD (for pre-commit hooks)")
	fs.StringVar(&f.diffFile, "diff", "", "scan a unified diff from `FILE` (- for stdin) instead of revisions")
	fs.StringVar(&f.format, "format", "text", "output format: text, json or sarif")
	fs.StringVar(&f.output, "output", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&f.configPath, "config", "", "configuration `FILE` (default <repo>/.github/picket.yml; overrides it)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings at or above `SEVERITY`: info, low, medium, high, critical (overrides fail_on; default high)")
	fs.StringVar(&f.baseline, "baseline", "", "baseline `FILE` of accepted fingerprints to suppress")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "write the findings' fingerprints (plus --baseline's) to `FILE` as a baseline, and exit 0")
	fs.Int64Var(&f.maxFileSize, "max-file-size", 0, "skip files larger than `N` bytes (overrides max_file_size; default 2 MiB)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), scanUsage)
		fs.PrintDefaults()
	}
	return fs, f
}

// runScan is `picket scan`: flags → config → change set → engine → report.
func runScan(ctx context.Context, args []string, s streams) int {
	fs, f := newScanFlags()
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := f.check(set); err != nil {
		return fail(s, err)
	}
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return fail(s, fmt.Errorf("--format: %w", err))
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return fail(s, err)
	}
	baseline, err := readBaseline(f.baseline)
	if err != nil {
		return fail(s, err)
	}
	engine, err := registry.Engine(cfg, registry.WithBaseline(baseline), registry.WithReadFile(ctx, repoReader(f.repo)))
	if err != nil {
		return fail(s, err)
	}
	cs, err := f.changeSet(ctx, cfg, s.stdin)
	if err != nil {
		return fail(s, err)
	}
	for _, id := range registry.UnknownRules(cfg, engine.Rules()) {
		fmt.Fprintf(s.stderr, "picket: warning: configuration names rule %q, which matches no rule (see picket rules)\n", id)
	}
	rep, err := engine.Run(ctx, cs)
	if err != nil {
		return fail(s, fmt.Errorf("scan: %w", err))
	}
	if err := f.writeReport(format, rep, engine.Rules(), s); err != nil {
		return fail(s, err)
	}
	if n := len(rep.Errors()); n > 0 && format != report.Text {
		fmt.Fprintf(s.stderr, "picket: warning: %d file(s) could not be scanned; see the report\n", n)
	}
	if f.writeBaseline != "" {
		if err := writeBaselineFile(f.writeBaseline, rep); err != nil {
			return fail(s, err)
		}
		fmt.Fprintf(s.stderr, "picket: wrote %d accepted finding(s) to %s\n", len(rep.Findings), f.writeBaseline)
		return exitOK
	}
	if rep.CountAtOrAbove(cfg.FailOn) > 0 {
		return exitFindings
	}
	return exitOK
}

// check rejects flag combinations that make no sense.
func (f *scanFlags) check(set map[string]bool) error {
	if f.diffFile != "" {
		for _, name := range []string{"base", "head", "staged"} {
			if set[name] {
				return fmt.Errorf("--diff cannot be combined with --%s", name)
			}
		}
	}
	if f.staged && (set["base"] || set["head"]) {
		return errors.New("--staged scans the index against HEAD; it cannot be combined with --base or --head")
	}
	if set["max-file-size"] && f.maxFileSize < 1 {
		return fmt.Errorf("--max-file-size: must be a positive number of bytes, got %d", f.maxFileSize)
	}
	return nil
}

// loadConfig reads the configuration file and applies the flags over it.
func (f *scanFlags) loadConfig() (*config.Config, error) {
	path := f.configPath
	if path == "" {
		// The repository's own file, also when picket runs in a sub-directory.
		root, err := repoRoot(f.repo)
		if err != nil {
			root = f.repo // --diff without a repository
		}
		path = filepath.Join(root, config.DefaultPath)
	} else if _, err := os.Stat(path); err != nil {
		// An explicitly named file must exist; only the default may be absent.
		return nil, fmt.Errorf("--config: %w", err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if f.failOn != "" {
		sev, err := scanners.ParseSeverity(f.failOn)
		if err != nil {
			return nil, fmt.Errorf("--fail-on: %w", err)
		}
		cfg.FailOn = sev
	}
	if f.maxFileSize > 0 {
		cfg.MaxFileSize = f.maxFileSize
	}
	return cfg, nil
}

// changeSet builds the change to scan from --diff, --staged or the revisions.
func (f *scanFlags) changeSet(ctx context.Context, cfg *config.Config, stdin io.Reader) (*diff.ChangeSet, error) {
	limits := diff.Limits{MaxFileSize: cfg.MaxFileSize}
	if f.diffFile != "" {
		r := stdin
		if f.diffFile != "-" {
			file, err := os.Open(f.diffFile)
			if err != nil {
				return nil, fmt.Errorf("--diff: %w", err)
			}
			defer file.Close()
			r = file
		}
		cs, err := diff.ParseUnified(r, limits)
		if err != nil {
			return nil, fmt.Errorf("parse diff: %w", err)
		}
		return cs, nil
	}
	if _, err := repoRoot(f.repo); err != nil {
		return nil, err
	}
	// An empty Base is the merge-base with the default branch (the empty
	// tree for a root commit); with Staged, Base defaults to HEAD.
	opts := diff.RepoOptions{Head: f.head, Base: f.base, Staged: f.staged, Limits: limits}
	if f.staged {
		opts.Head = ""
	}
	cs, err := diff.FromRepo(ctx, f.repo, opts)
	if err != nil {
		return nil, revisionError(err)
	}
	return cs, nil
}

// repoRoot returns the directory holding .git: dir or one of its parents,
// as a path relative to dir when dir is relative ("." or "../.."). A
// missing repository is reported early as "not a git repository: DIR",
// clearer than a library error.
func repoRoot(dir string) (string, error) {
	notRepo := fmt.Errorf("not a git repository: %s", dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", notRepo
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return "", notRepo
	}
	rel := dir
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return rel, nil
		}
		if filepath.Dir(d) == d {
			return "", notRepo
		}
		if filepath.IsAbs(rel) {
			rel = filepath.Dir(d)
		} else {
			rel = filepath.Join(rel, "..")
		}
	}
}

// revisionError reduces a bad revision to `bad revision "xyz"`, dropping
// go-git's detail; other errors pass through.
func revisionError(err error) error {
	var re *diff.RevisionError
	if errors.As(err, &re) {
		return fmt.Errorf("bad revision %q", re.Rev)
	}
	return err
}

// repoReader reads repository files, for settings such as
// secrets.gitleaks_config, from the working tree at the repository root.
func repoReader(dir string) registry.ReadFunc {
	return func(_ context.Context, path string) ([]byte, error) {
		if !filepath.IsLocal(filepath.FromSlash(path)) {
			return nil, fmt.Errorf("read %s: path outside the repository", path)
		}
		root, err := repoRoot(dir)
		if err != nil {
			root = dir // --diff without a repository: relative to --repo
		}
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	}
}

func readBaseline(path string) (*scanners.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	defer file.Close()
	b, err := scanners.ReadBaseline(file)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", path, err)
	}
	return b, nil
}

// writeBaselineFile accepts every finding of the report, keeping the
// entries an existing baseline already accepted.
func writeBaselineFile(path string, rep *scanners.Report) error {
	b := scanners.NewBaseline(rep.Findings, "accepted by picket scan --write-baseline")
	for _, s := range rep.Suppressed {
		if s.By == "baseline" {
			b.Add(scanners.BaselineEntry{Fingerprint: s.Finding.Fingerprint, Rule: s.Finding.Rule.ID, Path: s.Finding.Path, Reason: s.Reason})
		}
	}
	var buf strings.Builder
	if err := b.Write(&buf); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	if err := os.WriteFile(path, []byte(buf.String()), 0o644); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	return nil
}

// writeReport writes the report to --output or stdout.
func (f *scanFlags) writeReport(format report.Format, rep *scanners.Report, rules []scanners.Rule, s streams) error {
	opts := report.Options{ToolVersion: version, Rules: rules}
	if f.output == "" {
		opts.Color = report.Colorable(s.stdout, s.getenv)
		return report.Write(s.stdout, format, rep, opts)
	}
	file, err := os.Create(f.output)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := report.Write(file, format, rep, opts); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", f.output, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.output, err)
	}
	return nil
}
