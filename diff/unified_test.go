package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output")

// fileView is the golden-file form of a File: everything the parser
// decides, including the contents its Source reconstructs.
type fileView struct {
	Path     string   `json:"path"`
	OldPath  string   `json:"old_path,omitempty"`
	Status   string   `json:"status"`
	Mode     string   `json:"mode"`
	OldMode  string   `json:"old_mode,omitempty"`
	HeadBlob string   `json:"head_blob,omitempty"`
	BaseBlob string   `json:"base_blob,omitempty"`
	Skipped  string   `json:"skipped,omitempty"`
	Added    string   `json:"added"`
	Hunks    []string `json:"hunks,omitempty"`
	Head     *string  `json:"head,omitempty"`
	Base     *string  `json:"base,omitempty"`
}

func viewFiles(t *testing.T, cs *ChangeSet) []fileView {
	t.Helper()
	var out []fileView
	for _, f := range cs.Files {
		v := fileView{
			Path: f.Path, OldPath: f.OldPath, Status: f.Status.String(), Mode: f.Mode.String(),
			HeadBlob: f.HeadBlob, BaseBlob: f.BaseBlob, Added: f.Added.String(),
		}
		if f.OldMode != 0 {
			v.OldMode = f.OldMode.String()
		}
		if f.Skipped != nil {
			v.Skipped = f.Skipped.String()
		}
		for _, h := range f.Hunks {
			v.Hunks = append(v.Hunks, strings.TrimSpace(fmt.Sprintf("@@ -%d,%d +%d,%d @@ %s", h.OldStart, h.OldLines, h.NewStart, h.NewLines, h.Section)))
			for _, l := range h.Lines {
				v.Hunks = append(v.Hunks, fmt.Sprintf("%c %d %d %s", "+- "[map[LineKind]int{Add: 0, Delete: 1, Context: 2}[l.Kind]], l.Old, l.New, l.Content))
			}
		}
		for side, dst := range map[Side]**string{Head: &v.Head, Base: &v.Base} {
			if f.Skipped != nil && f.Skipped.Code == SkipTooLarge {
				if _, err := f.Content(context.Background(), side); err == nil {
					t.Errorf("%s: Content(%s) of a too-large file = nil error", f.Path, side)
				}
				continue
			}
			b, err := f.Content(context.Background(), side)
			if errors.Is(err, ErrNoContent) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: Content(%s): %v", f.Path, side, err)
			}
			s := string(b)
			*dst = &s
		}
		out = append(out, v)
	}
	return out
}

func TestParseUnifiedGolden(t *testing.T) {
	t.Parallel()
	inputs, err := filepath.Glob("testdata/*.diff")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no testdata/*.diff: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := ParseUnified(bytes.NewReader(data), Limits{})
			if err != nil {
				t.Fatalf("ParseUnified: %v", err)
			}
			got := viewFiles(t, cs)
			golden := strings.TrimSuffix(in, ".diff") + ".golden.json"
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			var want []fileView
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("ParseUnified(%s) mismatch (-want +got):\n%s", in, d)
			}
		})
	}
}

func TestParseUnifiedErrors(t *testing.T) {
	t.Parallel()
	const hdr = "diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n"
	tests := []struct {
		name, in, want string
	}{
		{"bad hunk header", hdr + "@@ -1,x +1 @@\n a\n", "line 5: bad hunk header"},
		{"no closing @@", hdr + "@@ -1 +1\n a\n", "line 5: bad hunk header"},
		{"combined diff", hdr + "@@@ -1 -1 +1 @@@\n", "combined diff"},
		{"too many deleted", hdr + "@@ -1 +1 @@\n-a\n-b\n+c\n", "line 7: deleted line does not fit"},
		{"too many added", hdr + "@@ -1,0 +1 @@\n+a\n+b\n", "line 7: diff line outside every hunk"},
		{"ends early", hdr + "@@ -1,3 +1,3 @@\n a\n", "ends early: 2 base and 2 head lines missing"},
		{"junk in hunk", hdr + "@@ -1,2 +1,2 @@\n a\n?b\n", "line 7: hunk @@ -1,2 +1,2 @@ ends early"},
		{"hunk before header", "@@ -1 +1 @@\n-a\n+b\n", "line 1: hunk without a ---/+++ file header"},
		{"git hunk before ---", "diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n", "line 2: hunk without"},
		{"start 0 with lines", hdr + "@@ -0,1 +1 @@\n", "start 0 with 1 lines"},
		{"huge line number", hdr + "@@ -1 +999999999,1 @@\n", "line numbers over"},
		{"bad mode", "diff --git a/x b/x\nold mode 10064z\n", "line 2: old mode: bad mode"},
		{"bad index", "diff --git a/x b/x\nindex zz..yy\n", "line 2: index: bad blob ids"},
		{"bad quoted path", "diff --git \"a/x\\q\" \"b/x\"\n", "line 1: unknown escape"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseUnified(strings.NewReader(tc.in), Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseUnified() error = %v, want one containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "parse diff: ") {
				t.Errorf("error %q lacks the parse diff: context", err)
			}
		})
	}
}

// TestParseUnifiedErrorHidesContent checks that a malformed line holding
// a credential is not echoed whole in the error.
func TestParseUnifiedErrorHidesContent(t *testing.T) {
	t.Parallel()
	secret := "ghp_" + strings.Repeat("Z9", 18)
	in := "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n?" + secret + "\n"
	_, err := ParseUnified(strings.NewReader(in), Limits{})
	if err == nil {
		t.Fatal("ParseUnified() error = nil, want one")
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:16]) {
		t.Errorf("error %q echoes the malformed line", err)
	}
}

func TestParseUnifiedCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		limits Limits
		want   []fileView
	}{
		{
			name: "plain diff -u of two files, section text, CRLF kept",
			in:   "--- a.txt\t2024-01-01\n+++ b.txt\t2024-01-02\n@@ -2,2 +2,2 @@ func f()\n x\r\n-y\n+z\n",
			want: []fileView{{Path: "b.txt", Status: "modified", Mode: "100644", OldMode: "100644", Added: "3",
				Hunks: []string{"@@ -2,2 +2,2 @@ func f()", "  2 2 x\r", "- 3 0 y", "+ 0 3 z"},
				Head:  ptr("\nx\r\nz\n"), Base: ptr("\nx\r\ny\n")}},
		},
		{
			name: "context line whose space was stripped",
			in:   "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n",
			want: []fileView{{Path: "f", Status: "modified", Mode: "100644", OldMode: "100644", Added: "3",
				Hunks: []string{"@@ -1,3 +1,3 @@", "  1 1 a", "  2 2 ", "- 3 0 b", "+ 0 3 c"},
				Head:  ptr("a\n\nc\n"), Base: ptr("a\n\nb\n")}},
		},
		{
			name:   "reconstructed head over the size cap",
			in:     "--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1,2 @@\n+0123456789\n+0123456789\n",
			limits: Limits{MaxFileSize: 20},
			want: []fileView{{Path: "big.txt", Status: "added", Mode: "100644", Added: "1-2", Skipped: "too-large: 22 B over the 20 B cap",
				Hunks: []string{"@@ -0,0 +1,2 @@", "+ 0 1 0123456789", "+ 0 2 0123456789"}}},
		},
		{
			name: "vendored path and git log -p prose between commits",
			in: "commit " + strings.Repeat("a", 40) + "\nAuthor: x\n\n    -- message with + and - lines\n    +more\n\n" +
				"diff --git a/vendor/x.go b/vendor/x.go\nnew file mode 100644\n--- /dev/null\n+++ b/vendor/x.go\n@@ -0,0 +1 @@\n+package x\n\n" +
				"commit " + strings.Repeat("b", 40) + "\n\n    + prose\n",
			want: []fileView{{Path: "vendor/x.go", Status: "added", Mode: "100644", Added: "1", Skipped: "vendored: under vendor/",
				Hunks: []string{"@@ -0,0 +1,1 @@", "+ 0 1 package x"}, Head: ptr("package x\n")}},
		},
		{
			name: "diff saved with CRLF line endings",
			in:   "diff --git a/w.txt b/w.txt\r\nindex 1111111..2222222 100644\r\n--- a/w.txt\r\n+++ b/w.txt\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n",
			want: []fileView{{Path: "w.txt", Status: "modified", Mode: "100644", OldMode: "100644", HeadBlob: "2222222", BaseBlob: "1111111",
				Added: "1", Hunks: []string{"@@ -1,1 +1,1 @@", "- 1 0 a\r", "+ 0 1 b\r"}, Head: ptr("b\r\n"), Base: ptr("a\r\n")}},
		},
		{
			name: "empty input",
			in:   "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cs, err := ParseUnified(strings.NewReader(tc.in), tc.limits)
			if err != nil {
				t.Fatalf("ParseUnified() error = %v", err)
			}
			if d := cmp.Diff(tc.want, viewFiles(t, cs)); d != "" {
				t.Errorf("ParseUnified() mismatch (-want +got):\n%s", d)
			}
			for _, f := range cs.Files {
				if !f.Partial || f.Size != -1 {
					t.Errorf("%s: Partial = %v, Size = %d, want true, -1", f.Path, f.Partial, f.Size)
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

func FuzzParseUnified(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/*.diff")
	for _, in := range inputs {
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("--- a\n+++ b\n@@ -1,2 +1 @@\n-x\n y\n\\ No newline at end of file\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseUnified(bytes.NewReader(data), Limits{})
		if err != nil {
			return
		}
		for _, file := range cs.Files {
			for _, h := range file.Hunks {
				var old, new int
				for _, l := range h.Lines {
					if l.Kind != Add {
						old++
					}
					if l.Kind != Delete {
						new++
					}
				}
				if old != h.OldLines || new != h.NewLines {
					t.Fatalf("%s: hunk %+v has %d/%d lines", file.Path, h, old, new)
				}
			}
			for _, side := range []Side{Head, Base} {
				if file.Skipped != nil {
					break // the engine never reads a skipped file
				}
				if _, err := file.Content(context.Background(), side); err != nil && !errors.Is(err, ErrNoContent) {
					t.Fatalf("%s: Content(%s): %v", file.Path, side, err)
				}
			}
		}
	})
}
