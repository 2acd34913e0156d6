package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/secrets"
)

// toolFinding is one finding of any tool, reduced to what scoring needs.
type toolFinding struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Rule      string `json:"rule"`
}

func runScan(ctx context.Context, args []string, stderr io.Writer) error {
	fl := flag.NewFlagSet("scan", flag.ContinueOnError)
	dir := fl.String("dir", "", "directory whose files are all treated as added")
	out := fl.String("out", "", "write one JSON line per finding here")
	profile := fl.String("cpuprofile", "", "write a CPU profile of the scan here")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *dir == "" || *out == "" {
		return errors.New("scan: -dir and -out are required")
	}
	rep, err := scanDir(ctx, *dir)
	if err != nil {
		return err
	}
	st := rep.Stats
	fmt.Fprintf(stderr, "picket: %d files, %d scanned, %d skipped, %.1f MB, %d findings, engine %v\n",
		st.Files, st.Scanned, st.Skipped, float64(st.Bytes)/1e6, len(rep.Findings), st.Duration.Round(1e6))
	if n := len(rep.Errors()); n > 0 {
		return fmt.Errorf("scan: %d file(s) failed, first: %s: %s", n, rep.Errors()[0].Path, rep.Errors()[0].Error)
	}
	return writeFindings(*out, rep.Findings)
}

// scanDir builds a change set in which every regular file under dir is
// added (as a root commit would be) and runs the engine with the secret
// scanner alone over it. Contents are read from disk lazily, by the
// engine's workers, as the App's fetched blobs would be.
func scanDir(ctx context.Context, dir string) (*scanners.Report, error) {
	s, err := secrets.New(secrets.Options{})
	if err != nil {
		return nil, fmt.Errorf("secret scanner: %w", err)
	}
	engine, err := scanners.NewEngine([]scanners.Scanner{s})
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	cs, err := addedChangeSet(dir)
	if err != nil {
		return nil, err
	}
	rep, err := engine.Run(ctx, cs)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	return rep, nil
}

// addedChangeSet lists dir as a change set of added files.
func addedChangeSet(dir string) (*diff.ChangeSet, error) {
	src := diff.SourceFunc(func(_ context.Context, f *diff.File, side diff.Side) ([]byte, error) {
		if side != diff.Head {
			return nil, diff.ErrNoContent
		}
		return os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
	})
	cs := &diff.ChangeSet{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f := &diff.File{Path: filepath.ToSlash(rel), Status: diff.Added, Mode: diff.ModeRegular, Size: info.Size(), Source: src}
		if !info.Mode().IsRegular() {
			f.Mode = diff.ModeSymlink
		}
		f.Added.AddRange(1, math.MaxInt32) // every line of an added file is new
		cs.Files = append(cs.Files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	return cs, nil
}

// writeFindings writes the secret findings (not the engine's notices) as
// JSON lines. Only positions and rule ids: never evidence.
func writeFindings(path string, fs []scanners.Finding) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write findings: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, x := range fs {
		if x.Rule.Kind != scanners.KindSecret {
			continue
		}
		if err := enc.Encode(toolFinding{Path: x.Path, StartLine: x.Range.StartLine, EndLine: x.Range.EndLine, Rule: strings.TrimPrefix(x.Rule.ID, "secrets/")}); err != nil {
			f.Close()
			return fmt.Errorf("write findings: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write findings: %w", err)
	}
	return f.Close()
}
