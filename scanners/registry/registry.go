package registry

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// ReadFunc reads a repository file by its repository-relative path: from
// the working tree for `picket scan`, from the base commit for the App.
type ReadFunc func(ctx context.Context, path string) ([]byte, error)

// options are the genuinely optional inputs of Scanners and Engine.
type options struct {
	ctx      context.Context
	read     ReadFunc
	baseline *scanners.Baseline
	cache    scanners.Cache
	log      *slog.Logger
	workers  int
}

// Option configures Scanners or Engine.
type Option func(*options)

// WithReadFile lets scanners load repository files their configuration
// names (secrets.gitleaks_config). Without it such a setting is an error.
func WithReadFile(ctx context.Context, read ReadFunc) Option {
	return func(o *options) { o.ctx, o.read = ctx, read }
}

// WithBaseline adds accepted fingerprints to the policy.
func WithBaseline(b *scanners.Baseline) Option { return func(o *options) { o.baseline = b } }

// WithCache reuses per-file results across runs.
func WithCache(c scanners.Cache) Option { return func(o *options) { o.cache = c } }

// WithLogger sets the engine's logger.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithConcurrency bounds the files scanned at once.
func WithConcurrency(n int) Option { return func(o *options) { o.workers = n } }

func collect(opts []Option) *options {
	o := &options{ctx: context.Background()}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// Scanners returns every scanner, configured from cfg, in a fixed order.
// This is the registry: add a scanner here, and only here.
func Scanners(cfg *config.Config, opts ...Option) ([]scanners.Scanner, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	o := collect(opts)
	var list []scanners.Scanner
	for _, mk := range []func(*config.Config, *options) (scanners.Scanner, error){
		// One line per scanner; its constructor adapter lives in <name>.go.
		newSecrets,
		newBuild,
		newSAST,
	} {
		s, err := mk(cfg, o)
		if err != nil {
			return nil, err
		}
		if s != nil {
			list = append(list, s)
		}
	}
	return list, nil
}

// Engine builds the engine a configuration implies: its scanners, its
// policy (excludes, disabled rules, severities) plus any baseline, and its
// size cap.
func Engine(cfg *config.Config, opts ...Option) (*scanners.Engine, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	list, err := Scanners(cfg, opts...)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	policy := cfg.Policy()
	policy.Accepted = o.baseline
	eopts := []scanners.Option{
		scanners.WithPolicy(policy),
		scanners.WithLimits(diff.Limits{MaxFileSize: cfg.MaxFileSize}),
	}
	if o.cache != nil {
		eopts = append(eopts, scanners.WithCache(o.cache))
	}
	if o.log != nil {
		eopts = append(eopts, scanners.WithLogger(o.log))
	}
	if o.workers > 0 {
		eopts = append(eopts, scanners.WithConcurrency(o.workers))
	}
	e, err := scanners.NewEngine(list, eopts...)
	if err != nil {
		return nil, fmt.Errorf("build engine: %w", err)
	}
	return e, nil
}

// Rules lists every rule of every scanner with a default configuration,
// sorted by id, including Picket's own notices. `picket rules` and
// docs/rules.md come from it.
func Rules() ([]scanners.Rule, error) {
	e, err := Engine(config.Default())
	if err != nil {
		return nil, err
	}
	return e.Rules(), nil
}

// UnknownRules returns the rule ids and patterns the configuration names
// in rules.disable and rules.severity that match no known rule: most often
// a typo, which would otherwise silently disable nothing.
func UnknownRules(cfg *config.Config, rules []scanners.Rule) []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	matches := func(p string) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return id == p || matchRule(p, id) })
	}
	var unknown []string
	for _, p := range cfg.Rules.Disable {
		if !matches(p) {
			unknown = append(unknown, p)
		}
	}
	for id := range cfg.Rules.Severity {
		if !slices.Contains(ids, id) {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	return slices.Compact(unknown)
}

// matchRule matches a rule pattern as the engine's Policy does.
func matchRule(pattern, id string) bool {
	if !strings.ContainsAny(pattern, `*?[\`) {
		return false
	}
	ok, err := path.Match(pattern, id)
	return err == nil && ok
}
