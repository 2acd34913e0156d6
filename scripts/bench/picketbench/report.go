package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// tools in the order the tables list them; picket is the one compared.
var tools = []string{"picket", "gitleaks", "trufflehog"}

// runRow is one timed run, a tab-separated line
// "tool cores wall_s cpu_s rss_kib": wall-clock seconds, user+system CPU
// seconds and peak resident set size.
type runRow struct {
	tool  string
	cores int
	wall  float64
	cpu   float64
	rssKB int64
}

// cell is the median of one tool's runs on one core count.
type cell struct {
	wall, cpu float64 // seconds
	mbps      float64 // corpus MB per wall-clock second
	mbPerCPU  float64 // corpus MB per CPU second: robust to a loaded machine
	rssMB     float64
	runs      int
}

func runReport(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("report", flag.ContinueOnError)
	runsPath := fl.String("runs", "", "timing rows (tool, cores, wall seconds, CPU seconds, peak RSS KiB; tab-separated)")
	scores := fl.String("scores", "", "directory of score-<tool>-<cores>.json files")
	truthPath := fl.String("truth", "", "ground truth JSON from picketbench corpus")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *runsPath == "" || *scores == "" || *truthPath == "" {
		return errors.New("report: -runs, -scores and -truth are required")
	}
	var truth Truth
	if err := readJSON(*truthPath, &truth); err != nil {
		return err
	}
	rows, err := readRuns(*runsPath)
	if err != nil {
		return err
	}
	sc := map[string]Score{}
	for _, r := range rows {
		key := r.tool + "-" + strconv.Itoa(r.cores)
		if _, done := sc[key]; done {
			continue
		}
		var s Score
		if err := readJSON(filepath.Join(*scores, "score-"+key+".json"), &s); err != nil {
			return err
		}
		sc[key] = s
	}
	return writeReport(stdout, &truth, rows, sc)
}

func readRuns(path string) ([]runRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	defer f.Close()
	var rows []runRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(strings.TrimSpace(sc.Text()), "\t")
		if len(parts) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated fields, got %d", path, n, len(parts))
		}
		cores, err1 := strconv.Atoi(parts[1])
		wall, err2 := strconv.ParseFloat(parts[2], 64)
		cpu, err3 := strconv.ParseFloat(parts[3], 64)
		rss, err4 := strconv.ParseInt(parts[4], 10, 64)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		rows = append(rows, runRow{tool: parts[0], cores: cores, wall: wall, cpu: cpu, rssKB: rss})
	}
	return rows, sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// cells reduces the runs to medians per tool and core count: wall time,
// throughput on the corpus bytes and peak RSS.
func cells(rows []runRow, bytes int64) (map[string]map[int]cell, []int) {
	walls := map[string]map[int][]float64{}
	cpus := map[string]map[int][]float64{}
	rss := map[string]map[int][]float64{}
	coreSet := map[int]bool{}
	for _, r := range rows {
		if walls[r.tool] == nil {
			walls[r.tool], cpus[r.tool], rss[r.tool] = map[int][]float64{}, map[int][]float64{}, map[int][]float64{}
		}
		walls[r.tool][r.cores] = append(walls[r.tool][r.cores], r.wall)
		cpus[r.tool][r.cores] = append(cpus[r.tool][r.cores], r.cpu)
		rss[r.tool][r.cores] = append(rss[r.tool][r.cores], float64(r.rssKB)/1024)
		coreSet[r.cores] = true
	}
	out := map[string]map[int]cell{}
	for tool, byCores := range walls {
		out[tool] = map[int]cell{}
		for c, ws := range byCores {
			w, cpu := median(ws), median(cpus[tool][c])
			out[tool][c] = cell{wall: w, cpu: cpu, mbps: perSecond(bytes, w), mbPerCPU: perSecond(bytes, cpu),
				rssMB: median(rss[tool][c]), runs: len(ws)}
		}
	}
	var cores []int
	for c := range coreSet {
		cores = append(cores, c)
	}
	sort.Ints(cores)
	return out, cores
}

func writeReport(w io.Writer, truth *Truth, rows []runRow, sc map[string]Score) error {
	cs, cores := cells(rows, truth.Bytes)
	var b strings.Builder
	fmt.Fprintf(&b, "Corpus: %d files, %.1f MB, %d planted secrets.\n\n", truth.Files, float64(truth.Bytes)/1e6, len(truth.Planted))
	b.WriteString("| Tool | Cores | Runs | Wall (s) | CPU (s) | MB/s (wall) | MB/s per core (wall) | MB per CPU-second | Peak RSS (MB) | Recall | Other findings |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range cores {
		for _, t := range tools {
			x, ok := cs[t][c]
			if !ok {
				continue
			}
			s := sc[t+"-"+strconv.Itoa(c)]
			fmt.Fprintf(&b, "| %s | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.0f | %d/%d (%.0f%%) | %d |\n",
				t, c, x.runs, x.wall, x.cpu, x.mbps, x.mbps/float64(c), x.mbPerCPU, x.rssMB, s.Found, s.Planted, pct(s.Found, s.Planted), s.Other)
		}
	}
	b.WriteString("\n| Cores | Comparison | Speed-up (wall) | Speed-up (CPU) | Peak RSS ratio | Recall (picket / other) |\n")
	b.WriteString("|---:|---|---:|---:|---:|---|\n")
	for _, c := range cores {
		p, ok := cs["picket"][c]
		if !ok {
			continue
		}
		ps := sc["picket-"+strconv.Itoa(c)]
		for _, t := range tools[1:] {
			x, ok := cs[t][c]
			if !ok || x.mbps == 0 || x.mbPerCPU == 0 || x.rssMB == 0 {
				continue
			}
			s := sc[t+"-"+strconv.Itoa(c)]
			fmt.Fprintf(&b, "| %d | picket vs %s | %.1f× | %.1f× | %.2f× | %d / %d |\n",
				c, t, p.mbps/x.mbps, p.mbPerCPU/x.mbPerCPU, p.rssMB/x.rssMB, ps.Found, s.Found)
		}
	}
	writeByType(&b, truth, cores, sc)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeByType tabulates recall per secret type (from the all-cores runs)
// and lists what each tool missed.
func writeByType(b *strings.Builder, truth *Truth, cores []int, sc map[string]Score) {
	if len(cores) == 0 {
		return
	}
	key := "-" + strconv.Itoa(cores[len(cores)-1])
	var types []string
	planted := map[string]int{}
	for _, p := range truth.Planted {
		if planted[p.Type] == 0 {
			types = append(types, p.Type)
		}
		planted[p.Type]++
	}
	var ran []string
	for _, t := range tools {
		if _, ok := sc[t+key]; ok {
			ran = append(ran, t)
		}
	}
	b.WriteString("\n| Secret type | Planted |")
	for _, t := range ran {
		fmt.Fprintf(b, " %s |", t)
	}
	b.WriteString("\n|---|---:|" + strings.Repeat("---:|", len(ran)) + "\n")
	for _, ty := range types {
		fmt.Fprintf(b, "| %s | %d |", ty, planted[ty])
		for _, t := range ran {
			fmt.Fprintf(b, " %d |", sc[t+key].ByType[ty])
		}
		b.WriteString("\n")
	}
	for _, t := range ran {
		s := sc[t+key]
		if len(s.Missed) == 0 {
			continue
		}
		var m []string
		for _, p := range s.Missed {
			m = append(m, p.Type+" in "+p.Format)
		}
		fmt.Fprintf(b, "\n%s missed: %s.\n", t, strings.Join(m, ", "))
	}
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}

// perSecond is MB (10^6 bytes) per second, 0 for no time.
func perSecond(bytes int64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(bytes) / 1e6 / seconds
}
