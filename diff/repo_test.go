package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picketsec/picket/diff/gittest"
)

// repoView is what the FromRepo tests compare per file.
type repoView struct {
	Status, Path, OldPath string
	Mode, OldMode         string
	Skip                  SkipCode
	Added                 string
	Hunks                 int
}

func repoViews(cs *ChangeSet) map[string]repoView {
	out := map[string]repoView{}
	for _, f := range cs.Files {
		v := repoView{Status: f.Status.String(), Path: f.Path, OldPath: f.OldPath, Mode: f.Mode.String(),
			Added: f.Added.String(), Hunks: len(f.Hunks)}
		if f.OldMode != 0 {
			v.OldMode = f.OldMode.String()
		}
		if f.Skipped != nil {
			v.Skip = f.Skipped.Code
		}
		out[f.Path] = v
	}
	return out
}

func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "line %d of a text file\n", i)
	}
	return b.String()
}

func TestFromRepoChanges(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	base := r.Commit("base", map[string]string{
		"edit.txt":          lines(1, 20),
		"gone.txt":          "bye\n",
		"moved.txt":         lines(1, 30),
		"moved-edit.txt":    lines(100, 140),
		"run.sh":            "echo hi\n",
		"img.png":           "PNG\x00\x01",
		"vendor/lib/lib.go": "package lib\n",
	})
	r.Git("mv", "moved.txt", "renamed.txt")
	r.Git("mv", "moved-edit.txt", "renamed-edit.txt")
	write(t, r.Dir, "renamed-edit.txt", strings.Replace(lines(100, 140), "line 120 ", "LINE 120 ", 1))
	r.Git("update-index", "--chmod=+x", "run.sh")
	if err := os.Symlink("edit.txt", filepath.Join(r.Dir, "link")); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "link")
	head := r.Commit("head", map[string]string{
		"edit.txt":          strings.Replace(lines(1, 20), "line 7 ", "line seven ", 1) + "appended\n",
		"gone.txt":          "",
		"new.txt":           "fresh\nfile\n",
		"img.png":           "PNG\x00\x02",
		"big.txt":           strings.Repeat("x", 3000) + "\n",
		"vendor/lib/lib.go": "package lib\n\nvar X = 1\n",
		"renamed-edit.txt":  strings.Replace(lines(100, 140), "line 120 ", "LINE 120 ", 1),
	})
	cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: "HEAD~1", Head: "HEAD", Limits: Limits{MaxFileSize: 2000}})
	if err != nil {
		t.Fatalf("FromRepo() error = %v", err)
	}
	if cs.Base != base || cs.Head != head {
		t.Errorf("FromRepo() Base, Head = %s, %s; want %s, %s", cs.Base, cs.Head, base, head)
	}
	want := map[string]repoView{
		"edit.txt":          {Status: "modified", Path: "edit.txt", Mode: "100644", OldMode: "100644", Added: "7,21", Hunks: 2},
		"gone.txt":          {Status: "deleted", Path: "gone.txt", Mode: "100644", OldMode: "100644", Skip: SkipDeleted},
		"new.txt":           {Status: "added", Path: "new.txt", Mode: "100644", Added: "1-2", Hunks: 1},
		"img.png":           {Status: "modified", Path: "img.png", Mode: "100644", OldMode: "100644", Skip: SkipBinary},
		"big.txt":           {Status: "added", Path: "big.txt", Mode: "100644", Skip: SkipTooLarge},
		"vendor/lib/lib.go": {Status: "modified", Path: "vendor/lib/lib.go", Mode: "100644", OldMode: "100644", Skip: SkipVendored},
		"link":              {Status: "added", Path: "link", Mode: "120000", Skip: SkipSymlink},
		"run.sh":            {Status: "modified", Path: "run.sh", Mode: "100755", OldMode: "100644"},
		"renamed.txt":       {Status: "renamed", Path: "renamed.txt", OldPath: "moved.txt", Mode: "100644", OldMode: "100644", Skip: SkipUnchanged},
		"renamed-edit.txt":  {Status: "renamed", Path: "renamed-edit.txt", OldPath: "moved-edit.txt", Mode: "100644", OldMode: "100644", Added: "21", Hunks: 1},
	}
	if d := cmp.Diff(want, repoViews(cs)); d != "" {
		t.Errorf("FromRepo() files mismatch (-want +got):\n%s", d)
	}
	// The same change through git diff and ParseUnified agrees file by file.
	patch := r.Git("diff", "--no-indent-heuristic", "-M", "HEAD~1", "HEAD")
	parsed, err := ParseUnified(strings.NewReader(patch+"\n"), Limits{MaxFileSize: 2000})
	if err != nil {
		t.Fatalf("ParseUnified(git diff) error = %v", err)
	}
	for _, pf := range parsed.Files {
		f := cs.File(pf.Path)
		if f == nil {
			t.Errorf("ParseUnified has %s, FromRepo does not", pf.Path)
			continue
		}
		if f.Skipped != nil {
			continue
		}
		if f.Status != pf.Status || f.OldPath != pf.OldPath || f.Mode != pf.Mode || f.OldMode != pf.OldMode ||
			f.Added.String() != pf.Added.String() || !cmp.Equal(f.Hunks, pf.Hunks, cmpopts.EquateEmpty()) {
			t.Errorf("%s: FromRepo and ParseUnified(git diff) disagree:\n%s", f.Path, cmp.Diff(pf, f, cmpopts.IgnoreFields(File{}, "Source", "Partial", "Size", "HeadBlob", "BaseBlob", "Skipped"), cmp.AllowUnexported(LineSet{})))
		}
	}
	ctx := context.Background()
	for _, f := range cs.Files {
		if f.Status != Deleted {
			if got, want := f.HeadBlob, r.BlobID("HEAD", f.Path); got != want {
				t.Errorf("%s: HeadBlob = %s, want %s", f.Path, got, want)
			}
		}
		if f.Status != Added {
			if got, want := f.BaseBlob, r.BlobID("HEAD~1", f.BasePath()); got != want {
				t.Errorf("%s: BaseBlob = %s, want %s", f.Path, got, want)
			}
		}
		if f.Partial {
			t.Errorf("%s: Partial = true for a repository file", f.Path)
		}
	}
	// Contents come from the object store, not the working tree.
	write(t, r.Dir, "edit.txt", "worktree edit\n")
	edit := cs.File("edit.txt")
	headBytes, err := edit.Content(ctx, Head)
	if err != nil || !strings.Contains(string(headBytes), "line seven ") || edit.Size != int64(len(headBytes)) {
		t.Errorf("Content(head) = %q, %v; Size %d", headBytes, err, edit.Size)
	}
	baseBytes, err := cs.File("renamed-edit.txt").Content(ctx, Base)
	if err != nil || string(baseBytes) != lines(100, 140) {
		t.Errorf("Content(base) of a renamed file = %q, %v", baseBytes, err)
	}
	if _, err := cs.File("new.txt").Content(ctx, Base); !errors.Is(err, ErrNoContent) {
		t.Errorf("Content(base) of an added file error = %v, want ErrNoContent", err)
	}
	if got := string(mustContent(t, cs.File("link"), Head)); got != "edit.txt" {
		t.Errorf("symlink content = %q, want its target recorded, not followed", got)
	}
}

func TestFromRepoConcurrentReads(t *testing.T) {
	t.Parallel()
	r := gittest.Generate(t, gittest.Spec{Files: 40, FileSize: 2000, Commits: 1, Changes: 20, Seed: 7})
	cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: "HEAD~1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Files) == 0 {
		t.Fatal("no files changed")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(cs.Files))
	for range 4 {
		for _, f := range cs.Files {
			wg.Go(func() {
				b, err := f.Content(context.Background(), Head)
				if err == nil && int64(len(b)) != f.Size {
					err = fmt.Errorf("%s: read %d bytes, Size %d", f.Path, len(b), f.Size)
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFromRepoStaged(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	r.Commit("base", map[string]string{"a.txt": lines(1, 10), "b.txt": "b\n", "dir/c.txt": "c\n", "dir.txt": "d\n"})
	write(t, r.Dir, "a.txt", strings.Replace(lines(1, 10), "line 3 ", "staged 3 ", 1))
	write(t, r.Dir, "dir/new.txt", "new\n")
	r.Git("add", "a.txt", "dir/new.txt")
	write(t, r.Dir, "a.txt", "unstaged rewrite\n")
	write(t, r.Dir, "b.txt", "unstaged\n")
	cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{Staged: true})
	if err != nil {
		t.Fatalf("FromRepo(Staged) error = %v", err)
	}
	want := map[string]repoView{
		"a.txt":       {Status: "modified", Path: "a.txt", Mode: "100644", OldMode: "100644", Added: "3", Hunks: 1},
		"dir/new.txt": {Status: "added", Path: "dir/new.txt", Mode: "100644", Added: "1", Hunks: 1},
	}
	if d := cmp.Diff(want, repoViews(cs)); d != "" {
		t.Errorf("FromRepo(Staged) mismatch (-want +got):\n%s", d)
	}
	if got := string(mustContent(t, cs.File("a.txt"), Head)); !strings.Contains(got, "staged 3 ") {
		t.Errorf("staged head content = %q, want the index version", got)
	}
	if cs.Base != r.Head() || cs.Head != "" {
		t.Errorf("FromRepo(Staged) Base, Head = %q, %q; want HEAD, empty", cs.Base, cs.Head)
	}
}

func TestFromRepoStagedFirstCommit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fresh")
	cmd := exec.Command(gitBinary(t), "init", "-q", "-b", "main", dir)
	cmd.Env = gitEnv(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	write(t, dir, "first.txt", "hello\n")
	cmd = exec.Command(gitBinary(t), "add", "first.txt")
	cmd.Dir, cmd.Env = dir, gitEnv(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git add: %v: %s", err, out)
	}
	cs, err := FromRepo(context.Background(), dir, RepoOptions{Staged: true, Base: "HEAD"})
	if err != nil {
		t.Fatalf("FromRepo(Staged) before the first commit error = %v", err)
	}
	want := map[string]repoView{"first.txt": {Status: "added", Path: "first.txt", Mode: "100644", Added: "1", Hunks: 1}}
	if d := cmp.Diff(want, repoViews(cs)); d != "" {
		t.Errorf("FromRepo(Staged) mismatch (-want +got):\n%s", d)
	}
}

func TestFromRepoRootCommit(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{})
	if err != nil {
		t.Fatalf("FromRepo() on a root commit error = %v", err)
	}
	want := map[string]repoView{"README": {Status: "added", Path: "README", Mode: "100644", Added: "1", Hunks: 1}}
	if d := cmp.Diff(want, repoViews(cs)); d != "" || cs.Base != "" {
		t.Errorf("FromRepo() Base = %q, files mismatch (-want +got):\n%s", cs.Base, d)
	}
	cs, err = FromRepo(context.Background(), r.Dir, RepoOptions{Base: EmptyTree})
	if err != nil || len(cs.Files) != 1 {
		t.Errorf("FromRepo(Base: EmptyTree) = %d files, %v", len(cs.Files), err)
	}
}

func TestDefaultBase(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	fork := r.Commit("on main", map[string]string{"main.txt": "1\n"})
	r.Branch("feature")
	r.Commit("feature work", map[string]string{"feature.txt": "f\n"})
	r.Checkout("main")
	r.Commit("main moves on", map[string]string{"main.txt": "2\n"})
	r.Checkout("feature")

	got, err := DefaultBase(context.Background(), r.Dir, "")
	if err != nil || got != fork {
		t.Fatalf("DefaultBase() = %s, %v; want the fork point %s", got, err, fork)
	}
	cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cs.Base != fork || len(cs.Files) != 1 || cs.Files[0].Path != "feature.txt" {
		t.Errorf("FromRepo() with the default base = %s, %v; want only feature.txt since %s", cs.Base, repoViews(cs), fork)
	}

	// The remote's HEAD wins over main.
	trunk := r.Commit("more feature work", map[string]string{"feature.txt": "g\n"})
	r.Git("update-ref", "refs/remotes/origin/trunk", trunk)
	r.Git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
	if got, err := DefaultBase(context.Background(), r.Dir, "HEAD"); err != nil || got != trunk {
		t.Errorf("DefaultBase() with origin/HEAD = %s, %v; want %s", got, err, trunk)
	}

	// No default branch at all.
	bare := gittest.NewRepo(t, "")
	bare.Git("branch", "-m", "main", "topic")
	if _, err := DefaultBase(context.Background(), bare.Dir, "HEAD"); err == nil || !strings.Contains(err.Error(), "pass --base") {
		t.Errorf("DefaultBase() without a default branch error = %v, want one saying to pass --base", err)
	}
}

func TestFromRepoRevisions(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	first := r.Head()
	second := r.Commit("second", map[string]string{"x.txt": "x\n"})
	r.Git("tag", "-a", "-m", "annotated", "v1", first)
	r.Git("branch", "old", first)
	r.Commit("third", map[string]string{"y.txt": "y\n"})
	for _, tc := range []struct{ base, want string }{
		{"HEAD~1", second}, {"HEAD~2", first}, {"v1", first}, {"old", first}, {first[:8], first}, {second, second},
	} {
		t.Run(tc.base, func(t *testing.T) {
			cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: tc.base})
			if err != nil || cs.Base != tc.want {
				t.Errorf("FromRepo(Base: %s) Base = %s, %v; want %s", tc.base, cs.Base, err, tc.want)
			}
		})
	}
	for _, rev := range []string{"xyz", "HEAD~9", "deadbeef"} {
		_, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: rev})
		var re *RevisionError
		if !errors.As(err, &re) || re.Rev != rev || err.Error() != fmt.Sprintf("bad revision %q", rev) {
			t.Errorf("FromRepo(Base: %s) error = %v, want a RevisionError", rev, err)
		}
	}
	if _, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: "HEAD", Head: "nope"}); err == nil || err.Error() != `bad revision "nope"` {
		t.Errorf("FromRepo(Head: nope) error = %v", err)
	}
}

func TestFromRepoSubdirAndWorktree(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	want := r.Commit("second", map[string]string{"sub/x.txt": "x\n"})
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "wt", wt)
	r.Git("-C", wt, "update-index", "--refresh")
	write(t, wt, "sub/x.txt", "staged in worktree\n")
	r.Git("-C", wt, "add", "sub/x.txt")
	for _, tc := range []struct {
		name string
		dir  string
		opt  RepoOptions
	}{
		{"subdirectory", filepath.Join(r.Dir, "sub"), RepoOptions{Base: "HEAD~1"}},
		{"linked worktree", wt, RepoOptions{Base: "HEAD~1"}},
		{"linked worktree staged", wt, RepoOptions{Staged: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := FromRepo(context.Background(), tc.dir, tc.opt)
			if err != nil {
				t.Fatalf("FromRepo(%s) error = %v", tc.dir, err)
			}
			if len(cs.Files) != 1 || cs.Files[0].Path != "sub/x.txt" {
				t.Errorf("FromRepo(%s) files = %v, want sub/x.txt", tc.dir, repoViews(cs))
			}
			if !tc.opt.Staged && cs.Head != want {
				t.Errorf("FromRepo(%s) Head = %s, want %s", tc.dir, cs.Head, want)
			}
		})
	}
}

func TestDefaultBaseShallowClone(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	r.Commit("two", map[string]string{"a.txt": "a\n"})
	r.Branch("feature")
	r.Commit("three", map[string]string{"b.txt": "b\n"})
	r.Checkout("main")
	r.Commit("four", map[string]string{"c.txt": "c\n"})
	clone := filepath.Join(t.TempDir(), "clone")
	r.Git("clone", "-q", "--depth=1", "--no-single-branch", "file://"+r.Dir, clone)
	r.Git("-C", clone, "checkout", "-q", "feature")
	_, err := DefaultBase(context.Background(), clone, "HEAD")
	if err == nil || !strings.Contains(err.Error(), "shallow clone") {
		t.Errorf("DefaultBase() in a shallow clone error = %v, want a hint about shallow history", err)
	}
}

func TestFromRepoNotARepository(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := FromRepo(context.Background(), dir, RepoOptions{})
	if err == nil || err.Error() != "not a git repository: "+dir {
		t.Errorf("FromRepo(%s) error = %v", dir, err)
	}
	if _, err := DefaultBase(context.Background(), dir, ""); err == nil || !strings.HasPrefix(err.Error(), "not a git repository") {
		t.Errorf("DefaultBase(%s) error = %v", dir, err)
	}
}

func TestFromRepoCancelled(t *testing.T) {
	t.Parallel()
	r := gittest.NewRepo(t, "")
	r.Commit("more", map[string]string{"a.txt": "a\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FromRepo(ctx, r.Dir, RepoOptions{Base: "HEAD~1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("FromRepo(cancelled) error = %v, want context.Canceled", err)
	}
}

func write(t *testing.T, dir, path, content string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustContent(t *testing.T, f *File, side Side) []byte {
	t.Helper()
	if f == nil {
		t.Fatal("file missing from the change set")
	}
	b, err := f.Content(context.Background(), side)
	if err != nil {
		t.Fatalf("%s: Content(%s): %v", f.Path, side, err)
	}
	return b
}

func BenchmarkFromRepo(b *testing.B) {
	r := gittest.Generate(b, gittest.Spec{Files: 400, FileSize: 4000, Commits: 1, Changes: 300, Seed: 1})
	b.ResetTimer()
	for b.Loop() {
		cs, err := FromRepo(context.Background(), r.Dir, RepoOptions{Base: "HEAD~1"})
		if err != nil || len(cs.Files) == 0 {
			b.Fatalf("FromRepo() = %v", err)
		}
	}
}

func BenchmarkParseUnified(b *testing.B) {
	r := gittest.Generate(b, gittest.Spec{Files: 400, FileSize: 4000, Commits: 1, Changes: 300, Seed: 1})
	patch := r.Git("diff", "HEAD~1", "HEAD")
	b.SetBytes(int64(len(patch)))
	b.ResetTimer()
	for b.Loop() {
		cs, err := ParseUnified(strings.NewReader(patch), Limits{})
		if err != nil || len(cs.Files) == 0 {
			b.Fatalf("ParseUnified() = %v", err)
		}
	}
}
