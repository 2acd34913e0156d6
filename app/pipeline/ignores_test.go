package pipeline_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/templates"
)

// ignoreList is a pipeline.Ignores over a fixed list (or an error).
type ignoreList struct {
	mu   sync.Mutex
	list []pipeline.Ignore
	err  error
	asks []string
}

func (l *ignoreList) Ignores(_ context.Context, r string, pr int) ([]pipeline.Ignore, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asks = append(l.asks, r)
	return l.list, l.err
}

// withIgnores replaces e's pipeline by one reading src.
func (e *env) withIgnores(t *testing.T, src pipeline.Ignores) {
	t.Helper()
	s := e.gh
	f, err := gh.New(appID, appPEM, gh.WithBaseURL(s.BaseURL()), gh.WithTransport(s.HTTPClient().Transport), gh.WithClock(s.Clock().Now))
	if err != nil {
		t.Fatal(err)
	}
	state := &publish.MemState{}
	pub := publish.Multi{publish.NewChecks(f, state), publish.NewReviews(f, state, nil)}
	e.p = pipeline.New(f, pub, func(context.Context, int64, string) (string, error) { return gitTok, nil },
		pipeline.WithCloneURL(func(string, string) string { return e.srv.URL }), pipeline.WithIgnores(src))
}

// fingerprints are the findings' fingerprints as the markers of Picket's
// comments carry them, by line.
func fingerprints(t *testing.T, cs []githubtest.ReviewComment) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, c := range cs {
		fp, ok := templates.ParseMarker(c.Body)
		if !ok {
			t.Fatalf("comment without marker: %q", c.Body)
		}
		out[c.Line] = string(fp)
	}
	return out
}

func TestIgnoresSuppressFindings(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	content := "TOKEN_A = \"" + githubtest.ClassicPAT(rng) + "\"\nTOKEN_B = \"" + githubtest.ClassicPAT(rng) + "\"\n"

	// First learn the two findings' fingerprints from a scan without ignores.
	probe := setup(t, map[string]string{"app/config.py": cfgBase})
	head := probe.push(map[string]string{"app/config.py": cfgBase + content})
	if err := probe.scan(head, "opened"); err != nil {
		t.Fatal(err)
	}
	fps := fingerprints(t, probe.gh.Comments(repo, 1))
	if len(fps) != 2 {
		t.Fatalf("findings without ignores = %d, want 2", len(fps))
	}
	a, b := fps[3], fps[4]

	tests := []struct {
		name       string
		ignores    []pipeline.Ignore
		conclusion string
		comments   int
		summary    []string
	}{
		{"one ignored on the pull request by short id",
			[]pipeline.Ignore{{PR: 1, ID: a[:10], Reason: "false positive, test key", By: "alice"}},
			"failure", 1, []string{"### Ignored", "Ignored by @alice: false positive, test key (this pull request)", "(id `" + a[:10] + "`)"}},
		{"both ignored, one for the repository by fingerprint",
			[]pipeline.Ignore{{PR: 1, ID: a[:10], Reason: "test key", By: "alice"}, {PR: 0, ID: b, Reason: "vendored", By: "bob"}},
			"success", 0, []string{"Ignored by @alice: test key (this pull request)", "Ignored by @bob: vendored (repository)"}},
		{"an ignore of another finding changes nothing",
			[]pipeline.Ignore{{PR: 1, ID: "ffffffffff", Reason: "other", By: "carol"}},
			"failure", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, map[string]string{"app/config.py": cfgBase})
			src := &ignoreList{list: tt.ignores}
			e.withIgnores(t, src)
			head := e.push(map[string]string{"app/config.py": cfgBase + content})
			if err := e.scan(head, "rescan"); err != nil {
				t.Fatal(err)
			}
			if len(src.asks) != 1 || src.asks[0] != repo {
				t.Errorf("ignores asked for %v, want once for %s", src.asks, repo)
			}
			run := e.checkRun(head)
			if run.Conclusion != tt.conclusion {
				t.Errorf("conclusion = %s, want %s; summary:\n%s", run.Conclusion, tt.conclusion, run.Summary)
			}
			if n := len(e.gh.Comments(repo, 1)); n != tt.comments {
				t.Errorf("comments = %d, want %d", n, tt.comments)
			}
			for _, want := range tt.summary {
				if !strings.Contains(run.Summary, want) {
					t.Errorf("summary lacks %q:\n%s", want, run.Summary)
				}
			}
			if tt.summary == nil && strings.Contains(run.Summary, "### Ignored") {
				t.Errorf("summary lists ignores though none matched:\n%s", run.Summary)
			}
			if strings.Contains(run.Summary, "### Suppressions") {
				t.Errorf("ignored findings are listed as suppressions too:\n%s", run.Summary)
			}
		})
	}
}

// A store failure is retried, not scanned past: the check is not
// completed with findings people had accepted.
func TestIgnoresErrorRetried(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase})
	e.withIgnores(t, &ignoreList{err: errors.New("database is locked")})
	head := e.push(map[string]string{"app/config.py": cfgBase + "TOKEN = \"" + secret + "\"\n"})
	err := e.scan(head, "opened")
	if err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("Scan = %v, want the store error", err)
	}
	if gh.KindOf(err) != gh.Transient {
		t.Errorf("kind = %v, want transient (River retries)", gh.KindOf(err))
	}
	if n := len(e.gh.Comments(repo, 1)); n != 0 {
		t.Errorf("comments = %d, want none", n)
	}
}
