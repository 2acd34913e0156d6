package pipeline

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-github/v62/github"
	"github.com/sourcegraph/conc/pool"
)

// GitHub lists at most 3,000 files of a pull request, 100 a page. See
// https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files.
const (
	filesPerPage = 100
	maxFiles     = 3000
	maxPages     = maxFiles / filesPerPage
	// pageConcurrency bounds the file pages read at once. GitHub asks
	// integrators to prefer serial requests to stay clear of its
	// secondary limits; those count content-creating requests, 100
	// concurrent requests, and 900 points a minute (a GET is one). Eight
	// reads at a time (sixteen with the server's two workers) stay far
	// inside them, and list a pull request of up to 800 files in one
	// round trip when the event said how many there are.
	pageConcurrency = 8
)

// listFiles lists the pull request's changed files, in GitHub's order,
// up to GitHub's 3,000.
//
// expect is the pull request's changed_files as the event reported it (0
// when unknown). With it, every page it implies is requested at once,
// the first page first; without it the first page is read alone. Either
// way the first page's Link header, not the hint, says how many pages
// there are: pages past its last are dropped, and pages the hint did not
// cover are read after it. A stale hint (another push since the event)
// so costs requests, never files. Without a "last" link (not GitHub's
// behaviour, but a proxy may drop it) the pages are read one after the
// other, following "next".
func listFiles(ctx context.Context, c *github.Client, owner, repo string, pr, expect int) ([]*github.CommitFile, error) {
	page := func(ctx context.Context, n int) ([]*github.CommitFile, *github.Response, error) {
		files, resp, err := filesPage(ctx, c, owner, repo, pr, n)
		if err != nil {
			return nil, nil, fmt.Errorf("list files of %s/%s#%d (page %d): %w", owner, repo, pr, n, err)
		}
		return files, resp, nil
	}
	pages := make([][]*github.CommitFile, maxPages+1)
	var first *github.Response
	guess := min((expect+filesPerPage-1)/filesPerPage, maxPages)
	err := readPages(ctx, 1, max(guess, 1), func(ctx context.Context, n int) error {
		files, resp, err := page(ctx, n)
		pages[n] = files
		if n == 1 {
			first = resp
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if first == nil || first.NextPage == 0 || len(pages[1]) == 0 {
		return pages[1], nil
	}
	if first.LastPage == 0 {
		return listSequentially(ctx, pages[1], first.NextPage, page)
	}
	last := min(first.LastPage, maxPages)
	err = readPages(ctx, max(guess, 1)+1, last, func(ctx context.Context, n int) error {
		files, _, err := page(ctx, n)
		pages[n] = files
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*github.CommitFile, 0, last*filesPerPage)
	for _, files := range pages[1 : last+1] {
		out = append(out, files...)
	}
	return out[:min(len(out), maxFiles)], nil
}

// readPages calls read for pages from to to (none when to < from),
// pageConcurrency at a time, in order of submission, and returns the
// first error, cancelling the reads still running.
func readPages(ctx context.Context, from, to int, read func(context.Context, int) error) error {
	p := pool.New().WithErrors().WithFirstError().WithContext(ctx).WithMaxGoroutines(pageConcurrency)
	for n := from; n <= to; n++ {
		p.Go(func(ctx context.Context) error { return read(ctx, n) })
	}
	return p.Wait()
}

// listSequentially reads the pages from next on, following the Link
// header's "next", after the first page's files.
func listSequentially(ctx context.Context, out []*github.CommitFile, next int, page func(context.Context, int) ([]*github.CommitFile, *github.Response, error)) ([]*github.CommitFile, error) {
	for next != 0 && len(out) < maxFiles {
		files, resp, err := page(ctx, next)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
		if resp == nil || len(files) == 0 {
			break
		}
		next = resp.NextPage
	}
	return out[:min(len(out), maxFiles)], nil
}

// filesPage reads one page of the pull request's files: GET
// /repos/{owner}/{repo}/pulls/{pull_number}/files, as go-github's
// PullRequests.ListFiles does (same client, so the same retries, rate
// limits, errors and metrics), but decoded with encoding/json/v2's
// implementation (github.com/go-json-experiment/json, the standard
// library's json/v2 as a module) instead of go-github's json.Decoder. A
// page of 100 patched files is several hundred kilobytes of JSON, the
// largest thing a scan decodes, and v2 reads it in 0.42x the time with
// 0.44x the allocated bytes (BenchmarkFilesPageDecode, recorded in
// docs/BENCHMARKS.md). v1's leniency is kept:
// invalid UTF-8 is replaced, duplicate names are allowed, unknown ones
// ignored.
func filesPage(ctx context.Context, c *github.Client, owner, repo string, pr, n int) ([]*github.CommitFile, *github.Response, error) {
	u := fmt.Sprintf("repos/%v/%v/pulls/%d/files?per_page=%d&page=%d", owner, repo, pr, filesPerPage, n)
	req, err := c.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.BareDo(ctx, req)
	if err != nil {
		return nil, resp, err
	}
	defer resp.Body.Close()
	var files []*github.CommitFile
	if err := json.UnmarshalRead(resp.Body, &files, decodeOpts); err != nil {
		return nil, resp, fmt.Errorf("decode files: %w", err)
	}
	return files, resp, nil
}

// decodeOpts are encoding/json v1's leniencies that matter for GitHub's
// answers.
var decodeOpts = json.JoinOptions(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
