package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// rule is one detection: its metadata and the sinks that trigger it. Each
// rule lives in its own rule_<class>.go file and is listed in allRules.
type rule struct {
	meta  scanners.Rule
	sinks []sink
}

// where says which construct a sink matches.
type where uint8

// The sink positions.
const (
	atCall   where = iota // a call or constructor whose callee matches names
	atAssign              // an assignment to a name or member whose last segment matches names
	atPair                // a key: value pair (literal field, keyword argument) whose key matches names
	atFunc                // a function whose name matches names
	atObject              // a struct/composite literal whose type matches names
	atReturn              // a return statement; names is {"return"}
)

// Special positions in sink.args.
const (
	anyArg  = -1 // every positional argument
	recvArg = -2 // the receiver of a method call
)

// sink is one declarative match: where, which names, which arguments must
// carry user input, an optional extra condition, and what to tell the
// developer.
type sink struct {
	langs lang
	at    where
	// names are callee paths ("os/exec.Command", "subprocess.run",
	// "*.Query" for any receiver), member names, keys or function names.
	names []string
	// args are the positions of which one must carry user input; nil means
	// the sink needs no taint (a dangerous constant such as verify=False).
	args []int
	// kw are keyword arguments or option keys that may carry the input.
	kw []string
	// value: for atAssign and atPair, the assigned value must be tainted.
	value bool
	// local accepts environment and command-line input as well as
	// request data.
	local bool
	// when is an extra condition on the match.
	when func(m *match) bool
	// advice ends the message of a taint finding ("use a placeholder: …"),
	// or is the whole message of a finding that needs no taint.
	advice string
	// fix returns a mechanical fix, or nil.
	fix func(m *match) *scanners.Fix
}

// needsTaint reports whether the sink fires only on user input.
func (s *sink) needsTaint() bool { return s.args != nil || len(s.kw) > 0 || s.value }

// matchPath matches a callee or source path against a pattern: "*.Name"
// matches any receiver; otherwise the pattern must equal the path or be a
// dot-separated suffix of it.
func matchPath(pattern, p string) bool {
	if strings.HasPrefix(pattern, "*.") {
		return strings.HasSuffix(p, pattern[1:])
	}
	return p == pattern || (strings.HasSuffix(p, pattern) && p[len(p)-len(pattern)-1] == '.')
}

// matchAny reports whether any pattern matches p.
func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if matchPath(pat, p) {
			return true
		}
	}
	return false
}

// sinkRef ties a sink to its rule in the index.
type sinkRef struct {
	r *rule
	s *sink
}

// index finds candidate sinks by language, position and last name
// segment, so that matching a node costs one map lookup.
type index map[lang]map[where]map[string][]sinkRef

func buildIndex(rules []*rule) index {
	idx := index{}
	for _, r := range rules {
		for i := range r.sinks {
			s := &r.sinks[i]
			for _, l := range []lang{langGo, langPython, langJS, langJava} {
				if s.langs&l == 0 {
					continue
				}
				if idx[l] == nil {
					idx[l] = map[where]map[string][]sinkRef{}
				}
				if idx[l][s.at] == nil {
					idx[l][s.at] = map[string][]sinkRef{}
				}
				for _, n := range s.names {
					b := base(n)
					idx[l][s.at][b] = append(idx[l][s.at][b], sinkRef{r, s})
				}
			}
		}
	}
	return idx
}

func (x index) lookup(l lang, at where, name string) []sinkRef {
	return x[l][at][base(name)]
}
