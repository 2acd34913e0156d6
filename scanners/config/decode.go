package config

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// field decodes the value of one known key into the configuration.
type field func(d *decoder, n *yaml.Node, key string) error

// decoder walks yaml.v3 nodes so that every error can name its key and
// line, which decoding into structs cannot do for unknown keys.
type decoder struct {
	file string
}

// errf builds a ParseError at node n for the dotted key.
func (d *decoder) errf(n *yaml.Node, key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	return &ParseError{File: d.file, Line: n.Line, Key: key, Msg: msg}
}

// join builds a dotted key.
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// mapping decodes a mapping whose keys must all be in fields. A null value
// (a key with nothing after it) is an empty mapping.
func (d *decoder) mapping(n *yaml.Node, prefix string, fields map[string]field) error {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if prefix == "" {
			return d.errf(n, "", "the configuration must be a mapping of keys, got %s", describe(n))
		}
		return d.errf(n, prefix, "expected a mapping, got %s", describe(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errf(k, prefix, "keys must be plain strings, got %s", describe(k))
		}
		name := join(prefix, k.Value)
		if seen[k.Value] {
			return &ParseError{File: d.file, Line: k.Line, Key: name, Msg: fmt.Sprintf("duplicate key %q", name)}
		}
		seen[k.Value] = true
		f, ok := fields[k.Value]
		if !ok {
			return &ParseError{File: d.file, Line: k.Line, Key: name, Msg: unknownKey(name, k.Value, fields)}
		}
		if err := f(d, resolve(v), name); err != nil {
			return err
		}
	}
	return nil
}

// unknownKey writes `unknown key "fail_onn" (did you mean "fail_on"?)`.
func unknownKey(full, key string, fields map[string]field) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("unknown key %q", full)
	best, bestDist := "", 3
	for _, k := range names {
		if dist := levenshtein(strings.ToLower(key), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", strings.TrimSuffix(full, key)+best)
	}
	return msg + " (known keys: " + strings.Join(names, ", ") + ")"
}

// levenshtein is the edit distance between two short strings.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && depth < 16; depth++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names a node's type for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing (null)"
		case "!!bool":
			return fmt.Sprintf("a boolean (%s)", n.Value)
		case "!!int", "!!float":
			return fmt.Sprintf("a number (%s)", n.Value)
		}
		return fmt.Sprintf("a string (%q)", n.Value)
	}
	return "an empty document"
}

// str decodes a string. Numbers are accepted as their text (a host name or
// owner may look like one); booleans, null, lists and mappings are not.
func (d *decoder) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" || n.Tag == "!!binary" {
		return "", d.errf(n, key, "expected a string, got %s", describe(n))
	}
	return n.Value, nil
}

// strList decodes a list of strings; null is an empty list.
func (d *decoder) strList(n *yaml.Node, key string) ([]string, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, d.errf(n, key, "expected a list of strings, got %s", describe(n))
	}
	out := make([]string, 0, len(n.Content))
	for i, c := range n.Content {
		s, err := d.str(resolve(c), fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// int decodes an integer.
func (d *decoder) int(n *yaml.Node, key string) (int64, error) {
	var v int64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		return 0, d.errf(n, key, "expected an integer, got %s", describe(n))
	}
	return v, nil
}

// float decodes a number.
func (d *decoder) float(n *yaml.Node, key string) (float64, error) {
	var v float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&v) != nil {
		return 0, d.errf(n, key, "expected a number, got %s", describe(n))
	}
	return v, nil
}

// bool decodes true or false.
func (d *decoder) bool(n *yaml.Node, key string) (bool, error) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		return false, d.errf(n, key, "expected true or false, got %s", describe(n))
	}
	return v, nil
}

// seq calls each for every element of a list; null is an empty list.
func (d *decoder) seq(n *yaml.Node, key string, each func(i int, n *yaml.Node, key string) error) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return d.errf(n, key, "expected a list, got %s", describe(n))
	}
	for i, c := range n.Content {
		if err := each(i, resolve(c), fmt.Sprintf("%s[%d]", key, i)); err != nil {
			return err
		}
	}
	return nil
}
