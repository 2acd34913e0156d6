package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
)

// pageTransport rewrites the fake's answers: it drops the Link header's
// rel="last" (when dropLast) and answers 404 for page failPage.
type pageTransport struct {
	next     http.RoundTripper
	dropLast bool
	failPage string
}

var lastLink = regexp.MustCompile(`,?\s*<[^>]*>; rel="last"`)

func (p pageTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if p.failPage != "" && r.URL.Query().Get("page") == p.failPage {
		return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Header: http.Header{},
			Body: http.NoBody, Request: r}, nil
	}
	resp, err := p.next.RoundTrip(r)
	if err == nil && p.dropLast {
		resp.Header.Set("Link", lastLink.ReplaceAllString(resp.Header.Get("Link"), ""))
	}
	return resp, err
}

// listClient is a fake GitHub holding pull request #1 with n files, and
// an installation client for it through pt.
func listClient(t *testing.T, n int, pt pageTransport) *github.Client {
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
	return c
}

// TestListFilesKeepsGitHubsOrder: the pages after the first are read
// concurrently (or, without a "last" link, one by one), and the files
// come back complete, in GitHub's order, cut at GitHub's 3,000.
func TestListFilesKeepsGitHubsOrder(t *testing.T) {
	for _, tc := range []struct {
		n, want  int
		dropLast bool
	}{{1, 1, false}, {100, 100, false}, {101, 101, false}, {650, 650, false}, {650, 650, true}, {3000, 3000, false}, {3100, 3000, false}} {
		t.Run(fmt.Sprintf("files=%d/dropLast=%v", tc.n, tc.dropLast), func(t *testing.T) {
			t.Parallel()
			c := listClient(t, tc.n, pageTransport{dropLast: tc.dropLast})
			files, err := pipeline.ListFiles(context.Background(), c, owner, name, 1)
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

// TestListFilesFailsOnAnyPage: a page that cannot be read fails the
// listing (a partial list would hide findings), naming the page.
func TestListFilesFailsOnAnyPage(t *testing.T) {
	for _, dropLast := range []bool{false, true} {
		c := listClient(t, 650, pageTransport{dropLast: dropLast, failPage: "5"})
		files, err := pipeline.ListFiles(context.Background(), c, owner, name, 1)
		var er *github.ErrorResponse
		if !errors.As(err, &er) || er.Response.StatusCode != http.StatusNotFound || !strings.Contains(err.Error(), "page 5") {
			t.Errorf("dropLast=%v: ListFiles = %d files, %v; want the 404 of page 5", dropLast, len(files), err)
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
