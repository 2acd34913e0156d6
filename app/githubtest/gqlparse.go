package githubtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// selection is the tree of fields a GraphQL operation selects. It is a
// deliberately small parser: fields, aliases, arguments (skipped) and
// directives; fragments are refused.
type selection struct {
	fields []fieldSel
}

type fieldSel struct {
	name, alias string
	args        string // the argument tokens, space-joined
	sub         *selection
}

// has reports whether a field of this name is selected anywhere.
func (s *selection) has(name string) bool {
	if s == nil {
		return false
	}
	for _, f := range s.fields {
		if f.name == name || f.sub.has(name) {
			return true
		}
	}
	return false
}

// prune keeps only the selected fields of v, keyed by alias, and lists
// selected fields that v lacks.
func (s *selection) prune(v any) (any, []string) {
	if s == nil {
		return v, nil
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		var missing []string
		for i, e := range x {
			var m []string
			out[i], m = s.prune(e)
			missing = append(missing, m...)
		}
		return out, missing
	case map[string]any:
		out := map[string]any{}
		var missing []string
		for _, f := range s.fields {
			key := f.name
			if f.alias != "" {
				key = f.alias
			}
			val, ok := x[f.name]
			if !ok {
				missing = append(missing, f.name)
				continue
			}
			var m []string
			out[key], m = f.sub.prune(val)
			missing = append(missing, m...)
		}
		return out, missing
	}
	return v, nil
}

type gqlLexer struct {
	toks []string
	i    int
}

func (l *gqlLexer) peek() string {
	if l.i < len(l.toks) {
		return l.toks[l.i]
	}
	return ""
}

func (l *gqlLexer) next() string { t := l.peek(); l.i++; return t }

func lexGraphQL(q string) ([]string, error) {
	var toks []string
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || r == ',':
			i++
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(rs) {
				return nil, errors.New("unterminated string")
			}
			toks = append(toks, string(rs[i:j+1]))
			i = j + 1
		case r == '.' && i+2 < len(rs) && rs[i+1] == '.' && rs[i+2] == '.':
			toks = append(toks, "...")
			i += 3
		case strings.ContainsRune("{}():$!@=[]", r):
			toks = append(toks, string(r))
			i++
		case r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && (rs[j] == '_' || rs[j] == '.' || rs[j] == '-' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q", r)
		}
	}
	return toks, nil
}

// parseSelection parses one operation and returns its top selection set.
func parseSelection(q string) (*selection, error) {
	toks, err := lexGraphQL(q)
	if err != nil {
		return nil, fmt.Errorf("parse query: %w", err)
	}
	l := &gqlLexer{toks: toks}
	if t := l.peek(); t == "query" || t == "mutation" {
		l.next()
		if t := l.peek(); t != "{" && t != "(" {
			l.next() // operation name
		}
		if l.peek() == "(" {
			skipGroup(l, "(", ")")
		}
	}
	sel, err := parseSet(l)
	if err != nil {
		return nil, fmt.Errorf("parse query: %w", err)
	}
	if l.peek() != "" {
		return nil, fmt.Errorf("parse query: only one operation is supported, found %q after it", l.peek())
	}
	return sel, nil
}

func skipGroup(l *gqlLexer, open, closing string) {
	depth := 0
	for t := l.next(); t != ""; t = l.next() {
		switch t {
		case open:
			depth++
		case closing:
			depth--
		}
		if depth == 0 {
			return
		}
	}
}

func parseSet(l *gqlLexer) (*selection, error) {
	if l.next() != "{" {
		return nil, errors.New("expected {")
	}
	sel := &selection{}
	for {
		t := l.next()
		switch t {
		case "}":
			if len(sel.fields) == 0 {
				return nil, errors.New("empty selection set")
			}
			return sel, nil
		case "":
			return nil, errors.New("unterminated selection set")
		case "...":
			return nil, errors.New("fragments are not supported by githubtest")
		}
		f := fieldSel{name: t}
		if l.peek() == ":" {
			l.next()
			f.alias, f.name = t, l.next()
		}
		if l.peek() == "(" {
			start := l.i
			skipGroup(l, "(", ")")
			f.args = strings.ReplaceAll(strings.Join(l.toks[start:min(l.i, len(l.toks))], " "), "$ ", "$")
		}
		for l.peek() == "@" {
			l.next()
			l.next()
			if l.peek() == "(" {
				skipGroup(l, "(", ")")
			}
		}
		if l.peek() == "{" {
			sub, err := parseSet(l)
			if err != nil {
				return nil, err
			}
			f.sub = sub
		}
		sel.fields = append(sel.fields, f)
	}
}
