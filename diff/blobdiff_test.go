package diff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gitBinary returns the git binary or skips: the comparisons below are
// only meaningful against real git output.
func gitBinary(t testing.TB) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git binary not installed; this test compares against real git output")
	}
	return git
}

// gitEnv isolates git from the user's configuration.
func gitEnv(t testing.TB) []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(t.TempDir(), "gitconfig"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
}

// gitHunks returns git's own hunks for base → head, parsed with ParsePatch.
func gitHunks(t *testing.T, base, head string) ([]Hunk, LineSet) {
	t.Helper()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gitBinary(t), "diff", "--no-index", "--no-color", "--no-ext-diff", "--no-indent-heuristic", "-U3", "a", "b")
	cmd.Dir, cmd.Env = dir, gitEnv(t)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("git diff: %v", err)
	}
	i := bytes.Index(out, []byte("\n@@"))
	if i < 0 {
		return nil, LineSet{}
	}
	hunks, added, err := ParsePatch(string(out[i+1:]))
	if err != nil {
		t.Fatalf("ParsePatch(git output): %v", err)
	}
	return hunks, added
}

func numbered(from, to int, f func(int) string) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		b.WriteString(f(i))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestDiffBlobsMatchesGit(t *testing.T) {
	t.Parallel()
	plain := func(i int) string { return fmt.Sprintf("line %d", i) }
	goFile := "package p\n\nimport \"fmt\"\n\nfunc A() {\n\tfmt.Println(1)\n\tfmt.Println(2)\n\tfmt.Println(3)\n\tfmt.Println(4)\n}\n\nfunc B() {\n\tfmt.Println(5)\n\tfmt.Println(6)\n\tfmt.Println(7)\n\tfmt.Println(8)\n}\n"
	tests := []struct {
		name, base, head string
	}{
		{"one change", numbered(1, 20, plain), strings.Replace(numbered(1, 20, plain), "line 10\n", "line ten\n", 1)},
		{"two far changes make two hunks", numbered(1, 40, plain),
			strings.NewReplacer("line 5\n", "five\n", "line 30\n", "thirty\n").Replace(numbered(1, 40, plain))},
		{"close changes merge", numbered(1, 30, plain),
			strings.NewReplacer("line 10\n", "ten\n", "line 16\n", "sixteen\n").Replace(numbered(1, 30, plain))},
		{"changes 7 apart stay apart", numbered(1, 30, plain),
			strings.NewReplacer("line 10\n", "ten\n", "line 18\n", "eighteen\n").Replace(numbered(1, 30, plain))},
		{"insert only", numbered(1, 10, plain), strings.Replace(numbered(1, 10, plain), "line 5\n", "line 5\nnew a\nnew b\n", 1)},
		{"delete only", numbered(1, 10, plain), strings.Replace(numbered(1, 10, plain), "line 5\nline 6\n", "", 1)},
		{"added file", "", "a\nb\n"},
		{"emptied file", "a\nb\n", ""},
		{"change at the top", numbered(1, 8, plain), "first\n" + numbered(2, 8, plain)},
		{"append at the end", numbered(1, 8, plain), numbered(1, 8, plain) + "tail\n"},
		{"no newline at end", "a\nb\nc", "a\nb\nC"},
		{"section heading", goFile, strings.Replace(goFile, "Println(7)", "Println(\"seven\")", 1)},
		{"identical", "same\n", "same\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantHunks, wantAdded := gitHunks(t, tc.base, tc.head)
			gotHunks, gotAdded := DiffBlobs([]byte(tc.base), []byte(tc.head))
			if d := cmp.Diff(wantHunks, gotHunks); d != "" {
				t.Errorf("DiffBlobs() hunks differ from git's (-git +DiffBlobs):\n%s", d)
			}
			if gotAdded.String() != wantAdded.String() {
				t.Errorf("DiffBlobs() added = %s, git's = %s", gotAdded, wantAdded)
			}
		})
	}
}

func TestParsePatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		patch     string
		wantAdded string
		wantHunks int
		wantErr   string
	}{
		{"empty", "", "", 0, ""},
		{"two hunks", "@@ -1,2 +1,3 @@ head\n a\n+b\n c\n@@ -10 +11,2 @@\n-x\n+y\n+z\n\\ No newline at end of file", "2,11-12", 2, ""},
		{"added file", "@@ -0,0 +1,2 @@\n+a\n+b", "1-2", 1, ""},
		{"text before hunk", "diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b", "", 0, "line 1: unexpected line"},
		{"short hunk", "@@ -1,2 +1,2 @@\n a", "", 0, "ends early"},
		{"overfull hunk", "@@ -1 +1 @@\n-a\n+b\n+c", "", 0, "line 4: unexpected line"},
		{"bad header", "@@ -a +1 @@\n", "", 0, "line 1: bad hunk header"},
		{"blank lines kept", "@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n\n", "3", 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hunks, added, err := ParsePatch(tc.patch)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParsePatch() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePatch() error = %v", err)
			}
			if len(hunks) != tc.wantHunks || added.String() != tc.wantAdded {
				t.Errorf("ParsePatch() = %d hunks, added %s; want %d, %s", len(hunks), added, tc.wantHunks, tc.wantAdded)
			}
		})
	}
}

// TestParsePatchTrustsNoHeader: a hunk header announcing 80 million lines
// (the most maxLineNumber allows) allocates for the lines the patch
// holds, not for 80 million.
func TestParsePatchTrustsNoHeader(t *testing.T) {
	patch := "@@ -1,40000000 +1,40000000 @@\n a\n-b\n+c\n" // within maxLineNumber
	var err error
	allocs := testing.AllocsPerRun(10, func() { _, _, err = ParsePatch(patch) })
	if err == nil || !strings.Contains(err.Error(), "ends early") {
		t.Fatalf("ParsePatch = %v, want the short hunk's error", err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, _ = ParsePatch(patch)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("parsing a 4-line patch allocated %d bytes (%v allocations)", n, allocs)
	}
}

func BenchmarkDiffBlobs(b *testing.B) {
	base := numbered(1, 20000, func(i int) string { return fmt.Sprintf("value_%d = compute(%d, %d)", i, i*7, i%13) })
	head := strings.NewReplacer("(70, 10)", "(70, 11)", "value_5000 ", "renamed_5000 ", "value_15000 ", "x = 1\nvalue_15000 ").Replace(base)
	b.SetBytes(int64(len(base) + len(head)))
	for b.Loop() {
		hunks, _ := DiffBlobs([]byte(base), []byte(head))
		if len(hunks) != 3 {
			b.Fatalf("%d hunks", len(hunks))
		}
	}
}

// applyHunks replays hunks over base and returns the head they describe,
// failing the test when a context or deleted line does not match base.
func applyHunks(t *testing.T, base string, hunks []Hunk) string {
	t.Helper()
	old := splitLines(base)
	var out []string
	next := 1 // next base line to copy
	for _, h := range hunks {
		for _, l := range h.Lines {
			if l.Kind == Add {
				out = append(out, l.Content)
				continue
			}
			for ; next < l.Old; next++ {
				out = append(out, old[next-1])
			}
			if l.Old > len(old) || old[l.Old-1] != l.Content {
				t.Fatalf("hunk line %+v does not match base line %d", l, l.Old)
			}
			if l.Kind == Context {
				out = append(out, l.Content)
			}
			next = l.Old + 1
		}
	}
	for ; next <= len(old); next++ {
		out = append(out, old[next-1])
	}
	return strings.Join(out, "\n")
}

func FuzzDiffBlobs(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\nd\n")
	f.Add("", "x\n")
	f.Add("same\n", "same\n")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\nthree\n4\n5\n6\n7\n8\nnine\n10\n")
	f.Fuzz(func(t *testing.T, base, head string) {
		hunks, added := DiffBlobs([]byte(base), []byte(head))
		got := applyHunks(t, base, hunks)
		if want := strings.TrimSuffix(head, "\n"); got != want {
			t.Fatalf("hunks rebuild %q, want %q", got, want)
		}
		var want LineSet
		for _, h := range hunks {
			addHunkLines(&want, h)
		}
		if added.String() != want.String() {
			t.Fatalf("added = %s, hunks add %s", added, want)
		}
	})
}

func FuzzParsePatch(f *testing.F) {
	f.Add("@@ -1,2 +1,3 @@ head\n a\n+b\n c\n@@ -10 +11,2 @@\n-x\n+y\n+z\n\\ No newline at end of file")
	f.Add("@@ -0,0 +1 @@\n+a\n")
	f.Fuzz(func(t *testing.T, patch string) {
		hunks, added, err := ParsePatch(patch)
		if err != nil {
			return
		}
		n := 0
		for _, h := range hunks {
			for _, l := range h.Lines {
				if l.Kind == Add {
					n++
					if !added.Contains(l.New) {
						t.Fatalf("added line %d missing from %s", l.New, added)
					}
				}
			}
		}
		if added.Len() > n {
			t.Fatalf("added %s has more lines than the %d added", added, n)
		}
	})
}

// BenchmarkParsePatch parses the patch GitHub lists for a 40-line file
// rewritten whole: a scan parses one such patch per changed file, five
// hundred for a 500-file pull request, on every push.
func BenchmarkParsePatch(b *testing.B) {
	var p strings.Builder
	p.WriteString("@@ -1,42 +1,42 @@ def handler(request):\n import os\n")
	for j := range 40 {
		fmt.Fprintf(&p, "-    return {\"status\": 200, \"value\": %d}\n+    return {\"status\": 200, \"value\": %d}\n", j, j+1)
	}
	p.WriteString(" \n")
	patch := p.String()
	b.SetBytes(int64(len(patch)))
	b.ReportAllocs()
	for b.Loop() {
		hunks, added, err := ParsePatch(patch)
		if err != nil || len(hunks) != 1 || added.Len() != 40 {
			b.Fatalf("ParsePatch = %d hunks, %d added, %v", len(hunks), added.Len(), err)
		}
	}
}
