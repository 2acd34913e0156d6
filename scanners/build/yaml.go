package build

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlRoot parses the file and returns its top-level mapping, or nil when
// the file is not a YAML mapping (a parse error is not a finding).
func (a *analysis) yamlRoot() *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(a.text()), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	return root
}

// get returns the key and value nodes of key in mapping m.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// val returns the value node of key in mapping m.
func val(m *yaml.Node, key string) *yaml.Node {
	_, v := get(m, key)
	return v
}

// str returns the scalar value of key in m, "" if absent or not a scalar.
func str(m *yaml.Node, key string) string {
	if v := val(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// each calls fn for every key/value pair of a mapping.
func each(m *yaml.Node, fn func(k, v *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], m.Content[i+1])
	}
}

// scalarLine maps a line of a scalar's value to its file line: literal
// block scalars map one to one below the indicator; folded ones lose
// their line breaks, so every line maps to the first (scalarText keeps
// them); plain and quoted scalars start on the node's own line.
func scalarLine(n *yaml.Node) func(int) int {
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return func(l int) int { return n.Line + l }
	case n.Style&yaml.FoldedStyle != 0:
		return func(int) int { return n.Line + 1 }
	}
	return at(n.Line)
}

// scalarText returns a script scalar's text and the map from its lines to
// file lines. A folded (>) block is rebuilt from the file's own lines,
// each line break that YAML folds into a space written as a shell line
// continuation (a space, a backslash and the newline, which the shell
// reads as that space), so that a
// finding lands on the exact line of the command. When the rebuilt text
// does not fold back to the parsed value (an unusual indentation
// indicator, a layout this reading does not cover) it falls back to the
// value, every line mapped to the block's first.
func (a *analysis) scalarText(n *yaml.Node) (string, func(int) int) {
	if n.Style&yaml.FoldedStyle != 0 {
		if src, ok := foldedSource(a.lines, n); ok {
			return src, at(n.Line + 1)
		}
	}
	return n.Value, scalarLine(n)
}

// foldedSource rebuilds folded block scalar n from the file's lines.
func foldedSource(lines []string, n *yaml.Node) (string, bool) {
	indent := -1
	var body []string
	for i := n.Line; i < len(lines); i++ { // n.Line is the indicator's line; content starts below
		l := lines[i]
		t := strings.TrimLeft(l, " ")
		if t == "" {
			body = append(body, "")
			continue
		}
		ind := len(l) - len(t)
		if indent < 0 {
			indent = ind
		}
		if ind < indent || indent == 0 {
			break
		}
		body = append(body, l[indent:])
	}
	for len(body) > 0 && body[len(body)-1] == "" {
		body = body[:len(body)-1]
	}
	if len(body) == 0 {
		return "", false
	}
	more := func(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }
	var b strings.Builder
	for i, l := range body {
		if i > 0 {
			if prev := body[i-1]; prev != "" && l != "" && !more(prev) && !more(l) {
				b.WriteString(" \\\n")
			} else {
				b.WriteString("\n")
			}
		}
		b.WriteString(l)
	}
	src := b.String()
	// The shell reads a run of line breaks like one; YAML drops the first
	// break before a blank line. Compare modulo that, and exactly otherwise.
	if oneBreak(strings.ReplaceAll(src, " \\\n", " ")) != oneBreak(n.Value) {
		return "", false
	}
	return src, true
}

var breaksRe = regexp.MustCompile(`\n+`)

func oneBreak(s string) string { return strings.TrimRight(breaksRe.ReplaceAllString(s, "\n"), "\n") }

// flatText joins every scalar below n, for line-independent matches.
func flatText(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	var parts []string
	for _, c := range n.Content {
		parts = append(parts, flatText(c))
	}
	return strings.Join(parts, " ")
}

// envNode checks an env:/variables: mapping and returns it as a map.
func (a *analysis) envNode(n *yaml.Node) map[string]string {
	out := map[string]string{}
	each(n, func(k, v *yaml.Node) {
		if v.Kind == yaml.ScalarNode {
			out[k.Value] = v.Value
			a.envVar(k.Value, v.Value, k.Line)
		} else if vv := val(v, "value"); vv != nil && vv.Kind == yaml.ScalarNode { // GitLab variables: {value: …}
			out[k.Value] = vv.Value
			a.envVar(k.Value, vv.Value, k.Line)
		}
	})
	if n != nil && n.Kind == yaml.SequenceNode { // Azure variables: [{name, value}]
		for _, item := range n.Content {
			if name := str(item, "name"); name != "" {
				out[name] = str(item, "value")
				a.envVar(name, str(item, "value"), item.Line)
			}
		}
	}
	return out
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
