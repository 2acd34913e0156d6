package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestValuesDocumented: every key of values.yaml, at every depth, has a
// comment of its own (above it or at the end of its line), as issue 6
// asks ("documented line by line").
func TestValuesDocumented(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("values.yaml: %v", err)
	}
	undocumented := undocumentedKeys(&doc, "", "")
	for _, k := range undocumented {
		t.Errorf("values.yaml: %s has no comment", k)
	}
	// The checker itself: a bare key is caught.
	var bare yaml.Node
	if err := yaml.Unmarshal([]byte("# documented\na: 1\nb:\n  c: 2\n"), &bare); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(undocumentedKeys(&bare, "", ""), ","); got != "b,b.c" {
		t.Errorf("undocumentedKeys(bare) = %q, want b,b.c", got)
	}
}

// undocumentedKeys walks a YAML tree and lists the dotted paths of keys
// without a head or line comment. inherited is a comment yaml.v3 attached
// to the enclosing node rather than to the first key under it.
func undocumentedKeys(n *yaml.Node, path, inherited string) []string {
	var out []string
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = append(out, undocumentedKeys(c, path, n.HeadComment)...)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			out = append(out, undocumentedKeys(c, path+"[]", c.HeadComment)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			has := k.HeadComment != "" || k.LineComment != "" || v.LineComment != ""
			if i == 0 && inherited != "" {
				has = true
			}
			if !has {
				out = append(out, p)
			}
			out = append(out, undocumentedKeys(v, p, "")...)
		}
	}
	return out
}
