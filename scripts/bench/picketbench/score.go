package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Score is how one tool did on the planted secrets.
type Score struct {
	Tool     string         `json:"tool"`
	Planted  int            `json:"planted"`
	Found    int            `json:"found"`
	Missed   []Planted      `json:"missed,omitempty"`
	ByType   map[string]int `json:"by_type"`  // type → planted secrets found
	Findings int            `json:"findings"` // all findings, planted or not
	Other    int            `json:"other"`    // findings on no planted secret (the Go tree's own test keys and false positives)
}

func runScore(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("score", flag.ContinueOnError)
	truthPath := fl.String("truth", "", "ground truth JSON from picketbench corpus")
	tool := fl.String("tool", "", "picket, gitleaks or trufflehog")
	in := fl.String("in", "", "the tool's report")
	dir := fl.String("dir", "", "the corpus root the tool was pointed at (stripped from reported paths)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *truthPath == "" || *tool == "" || *in == "" {
		return errors.New("score: -truth, -tool and -in are required")
	}
	var truth Truth
	if err := readJSON(*truthPath, &truth); err != nil {
		return err
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("read %s report: %w", *tool, err)
	}
	fs, err := parseReport(*tool, b)
	if err != nil {
		return fmt.Errorf("parse %s report %s: %w", *tool, *in, err)
	}
	sc := score(*tool, truth.Planted, normalize(fs, *dir))
	out, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", out)
	return err
}

// parseReport reads the findings of one tool's native report.
func parseReport(tool string, b []byte) ([]toolFinding, error) {
	switch tool {
	case "picket":
		return parseLines(b, func(line []byte) ([]toolFinding, error) {
			var f toolFinding
			err := json.Unmarshal(line, &f)
			return []toolFinding{f}, err
		})
	case "gitleaks":
		var rep []struct {
			RuleID    string
			File      string
			StartLine int
			EndLine   int
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return nil, nil
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			return nil, err
		}
		out := make([]toolFinding, len(rep))
		for i, r := range rep {
			out[i] = toolFinding{Path: r.File, StartLine: r.StartLine, EndLine: r.EndLine, Rule: r.RuleID}
		}
		return out, nil
	case "trufflehog":
		return parseLines(b, func(line []byte) ([]toolFinding, error) {
			var r struct {
				DetectorName   string
				SourceMetadata struct {
					Data struct {
						Filesystem *struct {
							File string `json:"file"`
							Line int    `json:"line"`
						}
					}
				}
			}
			if err := json.Unmarshal(line, &r); err != nil {
				return nil, err
			}
			fsm := r.SourceMetadata.Data.Filesystem
			if fsm == nil { // a log line or summary, not a finding
				return nil, nil
			}
			return []toolFinding{{Path: fsm.File, StartLine: fsm.Line, EndLine: fsm.Line, Rule: r.DetectorName}}, nil
		})
	}
	return nil, fmt.Errorf("unknown tool %q", tool)
}

// parseLines decodes a JSON-lines report, ignoring lines that are not JSON
// objects (banners, logs).
func parseLines(b []byte, decode func([]byte) ([]toolFinding, error)) ([]toolFinding, error) {
	var out []toolFinding
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		fs, err := decode(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, fs...)
	}
	return out, sc.Err()
}

// normalize makes reported paths slash-separated and relative to dir.
func normalize(fs []toolFinding, dir string) []toolFinding {
	prefix := ""
	if dir != "" {
		prefix = filepath.ToSlash(filepath.Clean(dir)) + "/"
	}
	for i := range fs {
		p := filepath.ToSlash(fs[i].Path)
		p = strings.TrimPrefix(p, "./")
		p = strings.TrimPrefix(p, prefix)
		fs[i].Path = p
		if fs[i].EndLine < fs[i].StartLine {
			fs[i].EndLine = fs[i].StartLine
		}
	}
	return fs
}

// score matches findings to planted secrets: a planted secret is found when
// some finding is on its file and its lines overlap the secret's.
func score(tool string, planted []Planted, fs []toolFinding) Score {
	sc := Score{Tool: tool, Planted: len(planted), ByType: map[string]int{}, Findings: len(fs)}
	onPlanted := make([]bool, len(fs))
	for _, p := range planted {
		hit := false
		for i, f := range fs {
			if f.Path == p.Path && f.StartLine <= p.EndLine && f.EndLine >= p.StartLine {
				hit, onPlanted[i] = true, true
			}
		}
		if _, ok := sc.ByType[p.Type]; !ok {
			sc.ByType[p.Type] = 0
		}
		if hit {
			sc.Found++
			sc.ByType[p.Type]++
		} else {
			sc.Missed = append(sc.Missed, p)
		}
	}
	for _, on := range onPlanted {
		if !on {
			sc.Other++
		}
	}
	return sc
}
