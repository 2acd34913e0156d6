package build

import (
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
// their line breaks, so every line maps to the first; plain and quoted
// scalars start on the node's own line.
func scalarLine(n *yaml.Node) func(int) int {
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return func(l int) int { return n.Line + l }
	case n.Style&yaml.FoldedStyle != 0:
		return func(int) int { return n.Line + 1 }
	}
	return at(n.Line)
}

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
