package scannertest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// Case is one fixture file: a positive or negative example of a rule.
type Case struct {
	Rule     string // rule id
	Positive bool
	Path     string // the file's path in the change
	Head     []byte
	Base     []byte // nil: the file is added; else it is modified
	Expect   []int  // head lines where the rule must fire; nil: at least once
}

// Name is a readable name for subtests.
func (c Case) Name() string {
	kind := "negative"
	if c.Positive {
		kind = "positive"
	}
	return kind + "/" + c.Path
}

// Fixture is the parsed txtar file of one rule.
type Fixture struct {
	Rule    string
	Cases   []Case
	Secrets []string // planted values that must appear in no output
}

// Load reads <dir>/<name>.txtar for rule id ruleID, where name is the id
// without its "<scanner>/" prefix.
func Load(dir, ruleID string) (*Fixture, error) {
	name := ruleID[strings.Index(ruleID, "/")+1:]
	file := filepath.Join(dir, name+".txtar")
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("fixture for %s: %w", ruleID, err)
	}
	fx, err := Parse(ruleID, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return fx, nil
}

// Parse parses a fixture in txtar form: "expect positive/PATH:L[,L]" and
// "secret VALUE" lines in the comment, and positive/, negative/ and
// base/<positive|negative>/ files (docs/architecture.md shows an example).
func Parse(ruleID string, data []byte) (*Fixture, error) {
	ar := txtar.Parse(data)
	fx := &Fixture{Rule: ruleID}
	expect := map[string][]int{}
	for i, line := range strings.Split(string(ar.Comment), "\n") {
		switch {
		case strings.HasPrefix(line, "expect "):
			path, lines, err := parseExpect(strings.TrimPrefix(line, "expect "))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			expect[path] = append(expect[path], lines...)
		case strings.HasPrefix(line, "secret "):
			fx.Secrets = append(fx.Secrets, strings.TrimSpace(strings.TrimPrefix(line, "secret ")))
		}
	}
	bases := map[string][]byte{}
	for _, f := range ar.Files {
		if rest, ok := strings.CutPrefix(f.Name, "base/"); ok {
			bases[rest] = f.Data
		}
	}
	for _, f := range ar.Files {
		var c Case
		switch {
		case strings.HasPrefix(f.Name, "positive/"):
			c = Case{Positive: true, Path: strings.TrimPrefix(f.Name, "positive/")}
		case strings.HasPrefix(f.Name, "negative/"):
			c = Case{Path: strings.TrimPrefix(f.Name, "negative/")}
		case strings.HasPrefix(f.Name, "base/"):
			continue
		default:
			return nil, fmt.Errorf("file %q: name must start with positive/, negative/ or base/", f.Name)
		}
		c.Rule, c.Head, c.Base = ruleID, f.Data, bases[f.Name]
		if lines, ok := expect[f.Name]; ok {
			sort.Ints(lines)
			c.Expect = lines
			delete(expect, f.Name)
		}
		fx.Cases = append(fx.Cases, c)
	}
	for name := range expect {
		return nil, fmt.Errorf("expect names %q, which is not a positive file", name)
	}
	return fx, nil
}

func parseExpect(s string) (string, []int, error) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", nil, fmt.Errorf("expect %q: want PATH:LINE[,LINE]", s)
	}
	var lines []int
	for _, l := range strings.Split(s[i+1:], ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || n < 1 {
			return "", nil, fmt.Errorf("expect %q: bad line %q", s, l)
		}
		lines = append(lines, n)
	}
	return strings.TrimSpace(s[:i]), lines, nil
}
