package build

import (
	"bytes"
	"context"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// version changes whenever rules or their logic change (result-cache key).
const version = 2

// Options configures the scanner.
type Options struct {
	Config config.BuildConfig
}

// Scanner is the build-script and CI-pipeline scanner. It holds only its
// configuration and is safe for concurrent use.
type Scanner struct {
	allowed   []string // lower-case hosts or "*.suffix" patterns
	tagOwners map[string]bool
}

var _ scanners.Scanner = (*Scanner)(nil)

// New returns a scanner configured by opts. An empty TagOwners list means
// the default owners (actions, github).
func New(opts Options) (*Scanner, error) {
	s := &Scanner{tagOwners: map[string]bool{}}
	for _, h := range opts.Config.AllowedHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" {
			s.allowed = append(s.allowed, h)
		}
	}
	owners := opts.Config.TagOwners
	if len(owners) == 0 {
		owners = config.Default().Build.TagOwners
	}
	for _, o := range owners {
		s.tagOwners[strings.ToLower(o)] = true
	}
	return s, nil
}

// Name is "build".
func (s *Scanner) Name() string { return "build" }

// Version is the rule-set version.
func (s *Scanner) Version() int { return version }

// Rules lists every rule.
func (s *Scanner) Rules() []scanners.Rule { return append([]scanners.Rule(nil), allRules...) }

// Wants decides from the path alone whether the file is a build or
// pipeline file.
func (s *Scanner) Wants(f *diff.File) bool {
	if f == nil || f.Mode.IsSymlink() || f.Mode.IsSubmodule() {
		return false
	}
	return recognise(f.Path) != kindNone
}

// Scan reports the problems in one version of one build file.
func (s *Scanner) Scan(ctx context.Context, in scanners.Input) ([]scanners.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := recognise(in.Path)
	if k == kindNone {
		return nil, nil
	}
	if k == kindGo && !bytes.Contains(in.Content, []byte("//go:generate")) {
		return nil, nil
	}
	a := newAnalysis(ctx, s, in, k)
	a.run()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return a.result(), nil
}
