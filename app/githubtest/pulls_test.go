package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

func manyFiles(n int) []File {
	fs := make([]File, n)
	for i := range fs {
		fs[i] = File{Path: fmt.Sprintf("dir/f%04d.go", i), Status: "modified", Patch: patchFor(1)}
	}
	return fs
}

func TestListFilesPaginates(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR(manyFiles(250)...)
	ctx := context.Background()
	var got []*github.CommitFile
	opt := &github.ListOptions{PerPage: 100}
	pages := 0
	for {
		fs, resp, err := e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, opt)
		if err != nil {
			t.Fatalf("ListFiles page %d: %v", opt.Page, err)
		}
		pages++
		got = append(got, fs...)
		if resp.NextPage == 0 {
			if resp.LastPage != 0 {
				t.Errorf("last page still links to a last page %d", resp.LastPage)
			}
			break
		}
		opt.Page = resp.NextPage
	}
	if pages != 3 || len(got) != 250 || got[249].GetFilename() != "dir/f0249.go" {
		t.Errorf("got %d files in %d pages, want 250 in 3", len(got), pages)
	}
	if got[0].GetAdditions() != 1 || got[0].GetPatch() == "" {
		t.Errorf("first file = %+v, want 1 addition and a patch", got[0])
	}
}

func TestListFilesLimits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR(manyFiles(3005)...)
	ctx := context.Background()
	fs, resp, err := e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, &github.ListOptions{PerPage: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != MaxPerPage {
		t.Errorf("per_page=500 gave %d files, want the cap %d", len(fs), MaxPerPage)
	}
	if resp.LastPage != 30 {
		t.Errorf("last page = %d, want 30 (3,000 files at 100 a page)", resp.LastPage)
	}
	fs, _, err = e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, &github.ListOptions{PerPage: 100, Page: 31})
	if err != nil || len(fs) != 0 {
		t.Errorf("page 31 = %d files, %v; want none past 3,000", len(fs), err)
	}
	fs, _, err = e.gh.PullRequests.ListFiles(ctx, testOwner, testName, 1, nil)
	if err != nil || len(fs) != 30 {
		t.Errorf("default page = %d files, %v; want 30", len(fs), err)
	}
}

func TestPullRequestGet(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.s.AddPullRequest(testRepo, PR{Number: 5, Title: "t", HeadSHA: headSHA, BaseSHA: baseSHA, HeadRepo: "mallory/hello", Files: []File{{Path: "a.go", Patch: patchFor(2)}}})
	ctx := context.Background()
	pr, _, err := e.gh.PullRequests.Get(ctx, testOwner, testName, 5)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if pr.GetHead().GetSHA() != headSHA || pr.GetBase().GetSHA() != baseSHA || pr.GetHead().GetRepo().GetFullName() != "mallory/hello" || pr.GetAdditions() != 2 {
		t.Errorf("pull request = head %s (%s) base %s +%d", pr.GetHead().GetSHA(), pr.GetHead().GetRepo().GetFullName(), pr.GetBase().GetSHA(), pr.GetAdditions())
	}
	// A fork's check runs list no pull requests: the app must map the SHA.
	run, _, err := e.gh.Checks.CreateCheckRun(ctx, testOwner, testName, github.CreateCheckRunOptions{Name: "Picket", HeadSHA: headSHA})
	if err != nil || len(run.PullRequests) != 0 {
		t.Errorf("fork check run lists %d pull requests, %v; want 0", len(run.PullRequests), err)
	}
	commits, _, err := e.gh.PullRequests.ListCommits(ctx, testOwner, testName, 5, nil)
	if err != nil || len(commits) != 1 || commits[0].GetSHA() != headSHA {
		t.Errorf("ListCommits = %v, %v", len(commits), err)
	}
	cmp, _, err := e.gh.Repositories.CompareCommits(ctx, testOwner, testName, baseSHA, headSHA, nil)
	if err != nil || len(cmp.Files) != 1 || cmp.GetTotalCommits() != 1 {
		t.Errorf("CompareCommits = %v, %v", cmp, err)
	}
	if _, resp, err := e.gh.PullRequests.Get(ctx, testOwner, testName, 6); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown pull request: %v, want 404", err)
	}
}

func TestContentsBlobsTrees(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cfg := "rules:\n  secrets: on\n"
	e.s.AddCommit(testRepo, baseSHA, "main", map[string]string{".github/picket.yml": cfg, "src/a.go": "package a\n", "README": "hi"})
	ctx := context.Background()
	fc, _, _, err := e.gh.Repositories.GetContents(ctx, testOwner, testName, ".github/picket.yml", &github.RepositoryContentGetOptions{Ref: baseSHA})
	if err != nil {
		t.Fatalf("GetContents: %v", err)
	}
	if got, err := fc.GetContent(); err != nil || got != cfg {
		t.Errorf("content = %q, %v; want %q", got, err, cfg)
	}
	if _, _, resp, err := e.gh.Repositories.GetContents(ctx, testOwner, testName, ".github/missing.yml", &github.RepositoryContentGetOptions{Ref: "main"}); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing file: %v, want 404", err)
	}
	_, dir, _, err := e.gh.Repositories.GetContents(ctx, testOwner, testName, ".github", nil)
	if err != nil || len(dir) != 1 || dir[0].GetName() != "picket.yml" {
		t.Errorf(".github listing = %d entries, %v; want picket.yml", len(dir), err)
	}
	tree, _, err := e.gh.Git.GetTree(ctx, testOwner, testName, baseSHA, true)
	if err != nil {
		t.Fatalf("GetTree: %v", err)
	}
	var blob string
	for _, en := range tree.Entries {
		if en.GetPath() == "src/a.go" {
			blob = en.GetSHA()
		}
	}
	if blob != BlobSHA([]byte("package a\n")) {
		t.Fatalf("tree entry for src/a.go has sha %q", blob)
	}
	raw, _, err := e.gh.Git.GetBlobRaw(ctx, testOwner, testName, blob)
	if err != nil || string(raw) != "package a\n" {
		t.Errorf("GetBlobRaw = %q, %v", raw, err)
	}
	b, _, err := e.gh.Git.GetBlob(ctx, testOwner, testName, blob)
	if err != nil || b.GetEncoding() != "base64" || !strings.HasPrefix(b.GetContent(), "cGFja2FnZSBh") {
		t.Errorf("GetBlob = %v, %v", b.GetContent(), err)
	}
}
