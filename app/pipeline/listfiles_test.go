package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/diff/gittest"
)

// pageTransport rewrites the fake's answers: it drops the Link header's
// rel="last" (when dropLast), answers 404 for page failPage, and holds
// the request for page 1 for slowFirst.
type pageTransport struct {
	next      http.RoundTripper
	dropLast  bool
	failPage  string
	slowFirst time.Duration
}

var lastLink = regexp.MustCompile(`,?\s*<[^>]*>; rel="last"`)

func (p pageTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if p.failPage != "" && r.URL.Query().Get("page") == p.failPage {
		return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Header: http.Header{},
			Body: http.NoBody, Request: r}, nil
	}
	if p.slowFirst > 0 && r.URL.Query().Get("page") == "1" {
		time.Sleep(p.slowFirst)
	}
	resp, err := p.next.RoundTrip(r)
	if err == nil && p.dropLast {
		resp.Header.Set("Link", lastLink.ReplaceAllString(resp.Header.Get("Link"), ""))
	}
	return resp, err
}

// listClient is an installation client, through pt, of a fake GitHub
// holding pull request #1 with n files.
func listClient(t *testing.T, n int, pt pageTransport) *github.Client {
	t.Helper()
	_, c := listServer(t, n, pt)
	return c
}

// listServer is listClient, with its fake.
func listServer(t *testing.T, n int, pt pageTransport) (*githubtest.Server, *github.Client) {
	t.Helper()
	s := githubtest.New(t)
	keyOnce.Do(func() { appKey, appPEM = githubtest.GenerateAppKey(t) })
	s.AddApp(appID, &appKey.PublicKey)
	s.AddInstallation(githubtest.Installation{ID: instID, AppID: appID, Account: owner})
	s.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: instID})
	files := make([]githubtest.File, n)
	for i := range files {
		files[i] = githubtest.File{Path: fmt.Sprintf("f%05d.txt", i), Status: "added", SHA: fmt.Sprintf("%040x", i+1), Patch: "@@ -0,0 +1 @@\n+x"}
	}
	s.AddPullRequest(repo, githubtest.PR{Number: 1, HeadSHA: strings.Repeat("a", 40), BaseSHA: strings.Repeat("b", 40), Files: files})
	pt.next = s.HTTPClient().Transport
	f, err := gh.New(appID, appPEM, gh.WithBaseURL(s.BaseURL()), gh.WithTransport(pt), gh.WithClock(s.Clock().Now))
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Installation(context.Background(), instID)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// TestListFilesKeepsGitHubsOrder: the pages after the first are read
// concurrently (or, without a "last" link, one by one), and the files
// come back complete, in GitHub's order, cut at GitHub's 3,000, whatever
// the event's count of files said: none, right, stale low or stale high.
func TestListFilesKeepsGitHubsOrder(t *testing.T) {
	for _, tc := range []struct {
		n, expect, want int
		dropLast        bool
	}{
		{1, 0, 1, false}, {100, 0, 100, false}, {101, 0, 101, false}, {650, 0, 650, false},
		{650, 0, 650, true}, {3000, 0, 3000, false}, {3100, 0, 3000, false},
		{1, 1, 1, false}, {650, 650, 650, false}, {650, 650, 650, true}, {3100, 3100, 3000, false},
		{650, 120, 650, false}, {650, 120, 650, true}, {150, 900, 150, false}, {150, 900, 150, true}, {0, 300, 0, false},
	} {
		t.Run(fmt.Sprintf("files=%d/expect=%d/dropLast=%v", tc.n, tc.expect, tc.dropLast), func(t *testing.T) {
			t.Parallel()
			c := listClient(t, tc.n, pageTransport{dropLast: tc.dropLast})
			files, err := pipeline.ListFiles(context.Background(), c, owner, name, 1, tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != tc.want {
				t.Fatalf("%d files, want %d", len(files), tc.want)
			}
			for i, f := range files {
				if want := fmt.Sprintf("f%05d.txt", i); f.GetFilename() != want {
					t.Fatalf("file %d is %s, want %s", i, f.GetFilename(), want)
				}
			}
		})
	}
}

// TestListFilesTrustsTheEventForOneRoundTrip: with the event's count of
// files every page is requested at once, so with page 1 slow to answer
// the others are answered before it; without the count they wait for
// page 1's Link header.
func TestListFilesTrustsTheEventForOneRoundTrip(t *testing.T) {
	for _, expect := range []int{0, 450} {
		t.Run(fmt.Sprintf("expect=%d", expect), func(t *testing.T) {
			t.Parallel()
			s, c := listServer(t, 450, pageTransport{slowFirst: 200 * time.Millisecond})
			files, err := pipeline.ListFiles(context.Background(), c, owner, name, 1, expect)
			if err != nil || len(files) != 450 {
				t.Fatalf("ListFiles = %d files, %v; want 450", len(files), err)
			}
			calls := s.Calls("pulls/list-files")
			if len(calls) != 5 {
				t.Fatalf("%d page requests, want 5", len(calls))
			}
			q, err := url.ParseQuery(calls[0].Query)
			if err != nil {
				t.Fatal(err)
			}
			firstAnswered := q.Get("page") == "1"
			if trusted := expect > 0; firstAnswered == trusted {
				t.Errorf("expect=%d: page 1 answered first: %v; want %v", expect, firstAnswered, !trusted)
			}
		})
	}
}

// TestListFilesFailsOnAnyPage: a page that cannot be read fails the
// listing (a partial list would hide findings), naming the page.
func TestListFilesFailsOnAnyPage(t *testing.T) {
	for _, dropLast := range []bool{false, true} {
		for _, expect := range []int{0, 650} {
			c := listClient(t, 650, pageTransport{dropLast: dropLast, failPage: "5"})
			files, err := pipeline.ListFiles(context.Background(), c, owner, name, 1, expect)
			var er *github.ErrorResponse
			if !errors.As(err, &er) || er.Response.StatusCode != http.StatusNotFound || !strings.Contains(err.Error(), "page 5") {
				t.Errorf("dropLast=%v expect=%d: ListFiles = %d files, %v; want the 404 of page 5", dropLast, expect, len(files), err)
			}
		}
	}
}

// TestFirstReadsShareARoundTrip: the check run is opened and the pull
// request read beside the file listing. With GitHub slow to answer the
// first two, the listing is answered before either of them.
func TestFirstReadsShareARoundTrip(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app.py": "print('hi')\n"})
	head := e.push(map[string]string{"app.py": "print('hi')\nX = 1\n"})
	slow := githubtest.Fault{Delay: 300 * time.Millisecond}
	e.gh.InjectFault(http.MethodPost, "/repos/{owner}/{repo}/check-runs", slow)
	e.gh.InjectFault(http.MethodGet, "/repos/{owner}/{repo}/pulls/{pull_number}", slow)
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("scan: %v", err)
	}
	first := func(op string) time.Time {
		c := e.gh.Succeeded(op)
		if len(c) == 0 {
			t.Fatalf("no successful %s", op)
		}
		return c[0].Wall
	}
	list := first("pulls/list-files")
	for _, op := range []string{"checks/create", "pulls/get"} {
		if at := first(op); !list.Before(at) {
			t.Errorf("the file listing was answered %v after %s: it waited for it", list.Sub(at), op)
		}
	}
	if c := e.checkRun(head); c.Status != "completed" {
		t.Errorf("check run %s, want completed", c.Status)
	}
}

// TestListFilesDecodesAsGoGitHub: the listing's own decoder (json v2)
// reads a page exactly as go-github's ListFiles does, with v1's
// leniencies: every field of GitHub's file object, an unknown field, a
// duplicate name (the last wins), invalid UTF-8 (replaced) and a missing
// patch.
func TestListFilesDecodesAsGoGitHub(t *testing.T) {
	body := "[" + `{"sha":"bbcd538c8e72b8c175046e27cc8f907076331401","filename":"a/b.go","status":"renamed",` +
		`"additions":103,"deletions":21,"changes":124,"blob_url":"https://github.com/o/r/blob/6dcb09b/a/b.go",` +
		`"raw_url":"https://github.com/o/r/raw/6dcb09b/a/b.go","contents_url":"https://api.github.com/repos/o/r/contents/a/b.go?ref=6dcb09b",` +
		`"patch":"@@ -132,7 +132,7 @@\n-x\n+y ` + "\xff\xfe" + `","previous_filename":"a/old.go","future_field":{"x":[1,2]}},` +
		`{"sha":"1111111111111111111111111111111111111111","filename":"bin.png","status":"added","status":"modified","additions":0,"deletions":0,"changes":0}` + "]"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := github.NewClient(srv.Client()).WithEnterpriseURLs(srv.URL+"/", srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := c.PullRequests.ListFiles(context.Background(), owner, name, 1, &github.ListOptions{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pipeline.ListFiles(context.Background(), c, owner, name, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded differently from go-github (-go-github +ours):\n%s", diff)
	}
	if len(got) != 2 || got[1].GetStatus() != "modified" || !strings.HasSuffix(got[0].GetPatch(), "y \uFFFD\uFFFD") {
		t.Errorf("leniencies lost: %+v", got)
	}
}

// TestPostedReadDuringFetch: the review publisher reads what is already
// posted while the git fetch runs, not after the scan. With the git
// server slow to answer, the reviews listing is answered before the pack.
func TestPostedReadDuringFetch(t *testing.T) {
	t.Parallel()
	var packed atomic.Int64 // unix nanoseconds the pack POST was answered
	slowGit := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				time.Sleep(300 * time.Millisecond)
			}
			next.ServeHTTP(w, r)
			if r.Method == http.MethodPost {
				packed.Store(time.Now().UnixNano())
			}
		})
	}
	e := setup(t, map[string]string{"app.py": "print('hi')\n"}, gittest.WithMiddleware(slowGit))
	head := e.push(map[string]string{"app.py": "print('hi')\nX = 1\n"})
	if err := e.scan(head, "opened"); err != nil {
		t.Fatalf("scan: %v", err)
	}
	lists := e.gh.Succeeded("pulls/list-reviews")
	if len(lists) != 1 || packed.Load() == 0 {
		t.Fatalf("%d reviews listings, pack answered: %v; want 1 and true", len(lists), packed.Load() != 0)
	}
	if at := lists[0].Wall; !at.Before(time.Unix(0, packed.Load())) {
		t.Errorf("reviews listed %v after the pack was answered: they waited for the fetch", at.Sub(time.Unix(0, packed.Load())))
	}
	if c := e.checkRun(head); c.Status != "completed" {
		t.Errorf("check run %s, want completed", c.Status)
	}
}
