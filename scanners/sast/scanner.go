package sast

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// version changes whenever rules or their logic change (result-cache key).
const version = 1

// Options configures the scanner.
type Options struct {
	Config config.SASTConfig
}

// Scanner is the static-analysis scanner. It holds only its rule index and
// language filter and is safe for concurrent use.
type Scanner struct {
	langs lang
	rules []*rule
	idx   index
}

var _ scanners.Scanner = (*Scanner)(nil)

// languageNames are the names sast.languages accepts.
var languageNames = map[string]lang{
	"go": langGo, "golang": langGo, "python": langPython, "py": langPython,
	"javascript": langJS, "js": langJS, "typescript": langJS, "ts": langJS, "java": langJava,
}

// New returns a scanner for the configured languages (all when empty).
func New(opts Options) (*Scanner, error) {
	s := &Scanner{rules: allRules()}
	for _, name := range opts.Config.Languages {
		l, ok := languageNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return nil, fmt.Errorf("sast: unknown language %q (want go, python, javascript, typescript or java)", name)
		}
		s.langs |= l
	}
	if s.langs == 0 {
		s.langs = allLangs
	}
	s.idx = buildIndex(s.rules)
	return s, nil
}

// Name is "sast".
func (s *Scanner) Name() string { return "sast" }

// Version is the rule-set version.
func (s *Scanner) Version() int { return version }

// Rules lists every rule, sorted by id.
func (s *Scanner) Rules() []scanners.Rule {
	out := make([]scanners.Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.meta
	}
	return out
}

// langOf maps a file extension to its language.
func langOf(p string) lang {
	switch ext := strings.ToLower(path.Ext(p)); ext {
	case ".go":
		return langGo
	case ".py":
		return langPython
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".tsx":
		if strings.HasSuffix(p, ".d.ts") || strings.HasSuffix(p, ".min.js") {
			return 0
		}
		return langJS
	case ".java":
		return langJava
	}
	return 0
}

// Wants reports whether the path is a source file of an enabled language.
func (s *Scanner) Wants(f *diff.File) bool {
	if f == nil || f.Mode.IsSymlink() || f.Mode.IsSubmodule() {
		return false
	}
	return langOf(f.Path)&s.langs != 0
}

// Scan parses one version of one file and reports the rules' matches.
func (s *Scanner) Scan(ctx context.Context, in scanners.Input) ([]scanners.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.parse(ctx, in.Path, in.Content)
	if err != nil && in.File != nil && in.File.Partial {
		// Contents rebuilt from a unified diff's hunks are fragments, not
		// programs: a parse failure there says nothing about the file, so
		// it is not reported as an error. The secret and build scanners
		// still read those lines.
		return nil, nil
	}
	if err != nil || f == nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.scanFile(f), nil
}

// parse dispatches on the language.
func (s *Scanner) parse(ctx context.Context, p string, src []byte) (*file, error) {
	l := langOf(p)
	if l&s.langs == 0 {
		return nil, nil
	}
	if l == langGo {
		return parseGo(src)
	}
	g := grammarFor(strings.ToLower(path.Ext(p)))
	if g == nil {
		return nil, nil
	}
	return parseTS(ctx, g, src)
}

// scanFile runs the taint walk and converts the hits, in source order.
func (s *Scanner) scanFile(f *file) []scanners.Finding {
	a := newAnalysis(f, s.idx)
	a.function(f.root, newEnv(nil))
	out := make([]scanners.Finding, 0, len(a.hits))
	for _, h := range a.hits {
		out = append(out, h.finding())
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].Range, out[j].Range
		if ri.StartLine != rj.StartLine {
			return ri.StartLine < rj.StartLine
		}
		if ri.StartCol != rj.StartCol {
			return ri.StartCol < rj.StartCol
		}
		return out[i].Rule.ID < out[j].Rule.ID
	})
	return out
}
