package build

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestFoldedSource(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string // "" when it must fall back to the parsed value
	}{
		{"joined lines", "run: >\n  curl x\n  | sh\n", "curl x \\\n| sh"},
		{"strip chomping", "run: >-\n  a\n  b\nnext: 1\n", "a \\\nb"},
		{"blank line keeps a break", "run: >\n  a\n\n  b\n", "a\n\nb"},
		{"more indented keeps breaks", "run: >\n  a\n    b\n  c\n", "a\n  b\nc"},
		{"explicit indentation falls back", "run: >4\n      a\n      b\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			n := val(doc.Content[0], "run")
			got, ok := foldedSource(strings.Split(tt.doc, "\n"), n)
			if tt.want == "" {
				if ok {
					t.Fatalf("foldedSource = %q, want a fallback", got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Fatalf("foldedSource = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
