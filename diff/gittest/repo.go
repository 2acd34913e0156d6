package gittest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a real git repository with a working tree in a test's temporary
// directory. Its methods fail the test on any git error.
type Repo struct {
	// Dir is the working tree; the repository is Dir/.git.
	Dir  string
	tb   testing.TB
	home string
	tick int
}

// NewRepo creates a repository on branch main. If fixture is not empty,
// the tree under it (minus any .git directory) is copied in and committed
// as the first commit; otherwise the repository starts with one commit
// holding a README.
func NewRepo(tb testing.TB, fixture string) *Repo {
	tb.Helper()
	root := tb.TempDir()
	r := &Repo{Dir: filepath.Join(root, "repo"), tb: tb, home: filepath.Join(root, "home")}
	for _, d := range []string{r.Dir, r.home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatalf("gittest: %v", err)
		}
	}
	r.Git("init", "-q", "-b", "main")
	// No background gc: it would race the temporary directory's removal.
	r.Git("config", "gc.auto", "0")
	r.Git("config", "maintenance.auto", "false")
	if fixture == "" {
		r.Commit("initial commit", map[string]string{"README": "test repository\n"})
		return r
	}
	if err := copyTree(fixture, r.Dir); err != nil {
		tb.Fatalf("gittest: copy fixture: %v", err)
	}
	r.Git("add", "-A")
	r.commitIndex("initial commit")
	return r
}

// Git runs git in the working tree with an isolated configuration and
// fixed identities, and returns its trimmed standard output.
func (r *Repo) Git(args ...string) string {
	r.tb.Helper()
	out, err := r.run(args...)
	if err != nil {
		r.tb.Fatalf("gittest: %v", err)
	}
	return out
}

// TryGit is Git returning the error instead of failing the test, for use
// off the test's goroutine.
func (r *Repo) TryGit(args ...string) (string, error) { return r.run(args...) }

func (r *Repo) run(args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = r.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// env isolates git from the machine's configuration and makes commits
// reproducible: every commit gets the next fixed timestamp.
func (r *Repo) env() []string {
	date := fmt.Sprintf("%d +0000", 1700000000+r.tick)
	return append(os.Environ(),
		"HOME="+r.home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Picket Test", "GIT_AUTHOR_EMAIL=test@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Picket Test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_COMMITTER_DATE="+date,
	)
}

// Commit writes files (path → contents, slash-separated paths relative to
// the root) and commits them with msg; a path mapped to the empty string is
// deleted instead. It returns the new commit id.
func (r *Repo) Commit(msg string, files map[string]string) string {
	r.tb.Helper()
	paths := make([]string, 0, len(files))
	for p, content := range files {
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		paths = append(paths, p)
		if content == "" {
			if err := os.Remove(full); err != nil && !os.IsNotExist(err) {
				r.tb.Fatalf("gittest: %v", err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.tb.Fatalf("gittest: %v", err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			r.tb.Fatalf("gittest: %v", err)
		}
	}
	if len(paths) > 0 {
		r.Git(append([]string{"add", "-A", "--"}, paths...)...)
	}
	return r.commitIndex(msg)
}

func (r *Repo) commitIndex(msg string) string {
	r.tb.Helper()
	r.tick++
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	return r.Head()
}

// Branch creates branch name at the current commit and switches to it.
func (r *Repo) Branch(name string) {
	r.tb.Helper()
	r.Git("checkout", "-q", "-b", name)
}

// Checkout switches to an existing branch or commit.
func (r *Repo) Checkout(rev string) {
	r.tb.Helper()
	r.Git("checkout", "-q", rev)
}

// Head returns the id of the current commit.
func (r *Repo) Head() string {
	r.tb.Helper()
	return r.Git("rev-parse", "HEAD")
}

// BlobID returns the id of the blob at path in commit rev.
func (r *Repo) BlobID(rev, path string) string {
	r.tb.Helper()
	return r.Git("rev-parse", rev+":"+path)
}

// ObjectCount returns the number of objects in the repository.
func (r *Repo) ObjectCount() int {
	r.tb.Helper()
	out := r.Git("rev-list", "--all", "--objects")
	return strings.Count(out, "\n") + 1
}

// SetConfig sets a repository configuration value.
func (r *Repo) SetConfig(key, value string) {
	r.tb.Helper()
	r.Git("config", key, value)
}

// copyTree copies regular files and directories from src to dst, skipping
// .git directories and anything that is not a regular file (symlinks
// included).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
