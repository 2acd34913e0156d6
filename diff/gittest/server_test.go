package gittest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRepoCommitAndBlobIDs(t *testing.T) {
	r := NewRepo(t, "")
	first := r.Head()
	c := r.Commit("add files", map[string]string{"a.txt": "hello\n", "dir/b.txt": "world\n"})
	if c == first {
		t.Fatalf("commit did not move HEAD")
	}
	// The blob id of "hello\n" is fixed by git's object format.
	if got, want := r.BlobID(c, "a.txt"), "ce013625030ba8dba906f756967f9e9ca394464a"; got != want {
		t.Errorf("BlobID(a.txt) = %s, want %s", got, want)
	}
	r.Branch("feature")
	d := r.Commit("delete", map[string]string{"a.txt": ""})
	if out := r.Git("ls-tree", "--name-only", d); strings.Contains(out, "a.txt") {
		t.Errorf("a.txt still in tree after delete: %q", out)
	}
	if got := r.Git("rev-parse", "--abbrev-ref", "HEAD"); got != "feature" {
		t.Errorf("branch = %q, want feature", got)
	}
}

func TestServeCountsAndAuth(t *testing.T) {
	r := NewRepo(t, "")
	s := Serve(t, r, WithToken("s3cret"))
	get := func(user, pass string, proto string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, s.URL+"/info/refs?service=git-upload-pack", nil)
		if err != nil {
			t.Fatal(err)
		}
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		if proto != "" {
			req.Header.Set("Git-Protocol", proto)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	if code, _ := get("", "", ""); code != http.StatusUnauthorized {
		t.Errorf("no auth: status %d, want 401", code)
	}
	if code, _ := get(TokenUser, "wrong", ""); code != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", code)
	}
	if s.Denied() != 2 {
		t.Errorf("Denied() = %d, want 2", s.Denied())
	}
	s.Reset()
	code, body := get(TokenUser, "s3cret", "")
	if code != http.StatusOK || !strings.Contains(body, "allow-reachable-sha1-in-want") {
		t.Fatalf("v0 advertisement: status %d, body %q", code, body)
	}
	if s.BytesSent() != int64(len(body)) || s.Requests() != 1 {
		t.Errorf("counters = %d bytes, %d requests; want %d, 1", s.BytesSent(), s.Requests(), len(body))
	}
	code, body = get(TokenUser, "s3cret", "version=2")
	if code != http.StatusOK || !strings.Contains(body, "version 2") || !strings.Contains(body, "filter") {
		t.Errorf("v2 advertisement: status %d, body %q", code, body)
	}
}

func TestServeWithoutV2(t *testing.T) {
	r := NewRepo(t, "")
	s := Serve(t, r, WithoutProtocolV2(), WithConfig("uploadpack.allowAnySHA1InWant", "false"),
		WithConfig("uploadpack.allowReachableSHA1InWant", "false"))
	req, err := http.NewRequest(http.MethodGet, s.URL+"/info/refs?service=git-upload-pack", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Git-Protocol", "version=2")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "version 2") || strings.Contains(string(b), "sha1-in-want") {
		t.Errorf("server still offers v2 or SHA-1 wants: %q", b)
	}
}

func TestCloneBytes(t *testing.T) {
	r := NewRepo(t, "")
	r.Commit("more", map[string]string{"big.txt": strings.Repeat("some text that compresses\n", 1000)})
	s := Serve(t, r)
	full := s.CloneBytes(t)
	if full <= 0 || s.Requests() < 2 {
		t.Errorf("clone moved %d bytes in %d requests", full, s.Requests())
	}
}

func TestNewRepoFromFixture(t *testing.T) {
	fx := t.TempDir()
	for p, c := range map[string]string{"src/main.go": "package main\n", ".git/HEAD": "not a repo\n"} {
		full := filepath.Join(fx, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := NewRepo(t, fx)
	if got := r.Git("ls-tree", "-r", "--name-only", "HEAD"); got != "src/main.go" {
		t.Errorf("tree = %q, want only src/main.go", got)
	}
	if n := r.ObjectCount(); n != 4 { // commit, root tree, src tree, blob
		t.Errorf("ObjectCount() = %d, want 4", n)
	}
}

func TestGenerate(t *testing.T) {
	g := Generate(t, Spec{Files: 50, FileSize: 500, Commits: 5, Changes: 3, Seed: 1})
	if got := strings.Count(g.Git("ls-tree", "-r", "--name-only", "HEAD"), "\n") + 1; got != 51 { // the README and 50 generated files
		t.Errorf("files = %d, want 51", got)
	}
	if got := g.Git("rev-list", "--count", "HEAD"); got != "7" { // README commit, import, 5 changes
		t.Errorf("commits = %s, want 7", got)
	}
	again := Generate(t, Spec{Files: 50, FileSize: 500, Commits: 5, Changes: 3, Seed: 1})
	if a, b := g.BlobID("HEAD", g.Paths[7]), again.BlobID("HEAD", again.Paths[7]); a != b {
		t.Errorf("same seed gave different blobs %s and %s", a, b)
	}
}
