package githubtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// raw sends a request with an installation token and returns status and body.
func raw(t *testing.T, s *Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token "+s.IssueToken(testInstID))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestContractViolations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"unknown route", "GET", "/repos/octo-org/hello/branches", "", http.StatusNotFound},
		{"unknown method", "DELETE", "/repos/octo-org/hello/check-runs/1", "", http.StatusNotFound},
		{"malformed JSON", "POST", "/repos/octo-org/hello/issues/1/comments", `{"body":`, http.StatusBadRequest},
		{"missing required field", "POST", "/repos/octo-org/hello/issues/1/comments", `{}`, http.StatusUnprocessableEntity},
		{"bad enum", "POST", "/repos/octo-org/hello/pulls/1/reviews", `{"event":"LGTM","body":"x"}`, http.StatusUnprocessableEntity},
		{"completed without conclusion", "POST", "/repos/octo-org/hello/check-runs", `{"name":"P","head_sha":"` + headSHA + `","status":"completed"}`, http.StatusUnprocessableEntity},
		{"reserved status", "POST", "/repos/octo-org/hello/check-runs", `{"name":"P","head_sha":"` + headSHA + `","status":"waiting"}`, http.StatusUnprocessableEntity},
		{"bad side", "POST", "/repos/octo-org/hello/pulls/1/reviews", `{"event":"COMMENT","body":"x","comments":[{"path":"a.go","line":1,"side":"MIDDLE","body":"x"}]}`, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, ExpectViolations())
			e.addPR(File{Path: "a.go", Patch: patchFor(2)})
			status, body := raw(t, e.s, tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Errorf("status = %d (%s), want %d", status, body, tc.status)
			}
			if v := e.s.Violations(); len(v) != 1 {
				t.Errorf("violations = %v, want exactly 1", v)
			}
			calls := e.s.Calls("")
			if len(calls) != 1 || calls[0].Status != tc.status {
				t.Errorf("recorded calls = %+v", calls)
			}
		})
	}
}

// TestViolationFailsTest checks that without ExpectViolations a
// violation reaches t.Errorf.
func TestViolationFailsTest(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{TB: t}
	s := New(rec)
	req, err := http.NewRequestWithContext(context.Background(), "GET", s.URL()+"/user", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "unexpected request GET /user") {
		t.Errorf("errors = %q, want one about the unexpected request", rec.errors)
	}
}

type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestResponseCheckCatchesFakeBugs(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec("")
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("GET", "http://fake/repos/o/r/check-runs/4", nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := sp.route(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if err := sp.validateResponse(context.Background(), in, 200, h, []byte(`{"id":4}`)); err == nil {
		t.Error("a check run without its required fields passed the response check")
	}
	if err := sp.validateResponse(context.Background(), in, 201, h, []byte(`{}`)); err == nil {
		t.Error("an undeclared success status passed the response check")
	}
	if err := sp.validateResponse(context.Background(), in, 500, h, []byte(`[]`)); err == nil {
		t.Error("an error body without message passed")
	}
}

func TestMultiSegmentRoutes(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec("")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct{ op, param, want string }{
		"/repos/o/r/contents/.github/picket.yml":     {"repos/get-content", "path", ".github/picket.yml"},
		"/repos/o/r/compare/main...feature/x":        {"repos/compare-commits", "basehead", "main...feature/x"},
		"/repos/o/r/commits/refs/heads/a/check-runs": {"checks/list-for-ref", "ref", "refs/heads/a"},
		"/repos/o/r/git/trees/feature/x":             {"git/get-tree", "tree_sha", "feature/x"},
	}
	for path, tc := range tests {
		req, err := http.NewRequest("GET", "http://fake"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		in, err := sp.route(req, nil)
		if err != nil {
			t.Errorf("route %s: %v", path, err)
			continue
		}
		if in.op != tc.op || in.params[tc.param] != tc.want {
			t.Errorf("route %s = %s %v, want %s %s=%s", path, in.op, in.params, tc.op, tc.param, tc.want)
		}
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	gh, err := github.NewClient(&http.Client{Transport: e.itr}).WithEnterpriseURLs(e.s.URL(), e.s.URL())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(gh.BaseURL.Path, "/api/v3/") {
		t.Fatalf("base URL %s", gh.BaseURL)
	}
	if _, _, err := gh.PullRequests.Get(context.Background(), testOwner, testName, 1); err != nil {
		t.Errorf("GHES-style path: %v", err)
	}
}

func TestSpecDirFromEnv(t *testing.T) {
	dir, err := SpecDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(SpecDirEnv, t.TempDir())
	if got, _ := SpecDir(); got == dir {
		t.Errorf("SpecDir ignored %s", SpecDirEnv)
	}
	if _, err := loadSpec(""); err == nil {
		t.Error("loading from an empty directory succeeded")
	}
	t.Setenv(SpecDirEnv, dir)
	if _, err := loadSpec(""); err != nil {
		t.Errorf("load from %s: %v", url.PathEscape(dir), err)
	}
}

func TestRequiredHeaders(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header, value string
		status        int
	}{
		"no user agent":         {"User-Agent", "", http.StatusForbidden},
		"unmodelled version":    {"X-GitHub-Api-Version", "2026-03-10", http.StatusBadRequest},
		"documented version ok": {"X-GitHub-Api-Version", "2022-11-28", http.StatusOK},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, ExpectViolations())
			req, err := http.NewRequestWithContext(context.Background(), "GET", e.s.URL()+"/rate_limit", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "token "+e.s.IssueToken(testInstID))
			req.Header.Set(tc.header, tc.value)
			resp, err := e.s.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			wantViolations := 1
			if tc.status == http.StatusOK {
				wantViolations = 0
			}
			if resp.StatusCode != tc.status || len(e.s.Violations()) != wantViolations {
				t.Errorf("status %d, violations %v; want %d and %d violations", resp.StatusCode, e.s.Violations(), tc.status, wantViolations)
			}
		})
	}
}
