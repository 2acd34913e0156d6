package templates

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed *.md.tmpl
var files embed.FS

// Template names accepted by Render.
const (
	Title   = "title.md.tmpl"
	Summary = "summary.md.tmpl"
	Review  = "review.md.tmpl"
	Comment = "comment.md.tmpl"
	Fixed   = "fixed.md.tmpl"
	Reply   = "reply.md.tmpl"
	Aborted = "aborted.md.tmpl"
	Dismiss = "dismiss.md.tmpl"
)

// tmpl is parsed once; the templates are part of the binary, so a parse
// error is a build defect that every test of this package reports.
var tmpl, parseErr = template.New("picket").Funcs(funcs).ParseFS(files, "*.md.tmpl")

var funcs = template.FuncMap{
	"code":   Code,
	"fence":  fence,
	"plural": plural,
	"inline": oneLine,
}

// Render executes the named template with view and returns the Markdown.
func Render(name string, view any) (string, error) {
	if parseErr != nil {
		return "", fmt.Errorf("parse templates: %w", parseErr)
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, view); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimRight(b.String(), "\n") + "\n", nil
}

// Code wraps s in a Markdown code span that survives backticks inside s.
func Code(s string) string {
	s = oneLine(s)
	fenceLen := longestRun(s, '`') + 1
	f := strings.Repeat("`", fenceLen)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return f + " " + s + " " + f
	}
	return f + s + f
}

// fence returns a code fence longer than any backtick run in s (at least
// three), so a replacement holding ``` cannot close the block early.
func fence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// oneLine folds line breaks so a message cannot break a table or list.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// plural returns "1 finding" or "3 findings".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
