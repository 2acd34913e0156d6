package repoconfig

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

const (
	appID   = 42
	instID  = 7
	owner   = "octo-org"
	name    = "hello"
	repo    = owner + "/" + name
	orgFull = owner + "/.github"
	baseSHA = "2222222222222222222222222222222222222222"
	headSHA = "1111111111111111111111111111111111111111"
	orgSHA  = "3333333333333333333333333333333333333333"
)

type env struct {
	s *githubtest.Server
	c *github.Client
}

// setup is a fake with the repository (base and head commits holding
// base and head as .github/picket.yml, when not empty) and, when org is
// not empty, an octo-org/.github repository holding it.
func setup(t testing.TB, base, head, org string, inst githubtest.Installation, sopts ...githubtest.Option) *env {
	t.Helper()
	s := githubtest.New(t, sopts...)
	k, pemBytes := githubtest.GenerateAppKey(t)
	s.AddApp(appID, &k.PublicKey)
	inst.ID, inst.AppID, inst.Account = instID, appID, owner
	s.AddInstallation(inst)
	s.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: instID})
	files := func(cfg string) map[string]string {
		m := map[string]string{"main.go": "package main\n"}
		if cfg != "" {
			m[Path] = cfg
		}
		return m
	}
	s.AddCommit(repo, baseSHA, "main", files(base))
	s.AddCommit(repo, headSHA, "feature", files(head))
	if org != "" {
		s.AddRepo(githubtest.Repo{Owner: owner, Name: ".github", InstallationID: instID})
		s.AddCommit(orgFull, orgSHA, "main", files(org))
	}
	f, err := gh.New(appID, pemBytes, gh.WithBaseURL(s.BaseURL()), gh.WithTransport(s.HTTPClient().Transport),
		gh.WithClock(s.Clock().Now), gh.WithSleeper(func(ctx context.Context, d time.Duration) error { s.Clock().Advance(d); return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Installation(context.Background(), instID)
	if err != nil {
		t.Fatal(err)
	}
	return &env{s: s, c: c}
}

func TestLoadReadsTheBaseCommit(t *testing.T) {
	t.Parallel()
	// The pull request tries to turn the review down at its head.
	e := setup(t, "fail_on: low\n", "fail_on: critical\nexclude: ['**']\n", "fail_on: medium\n", githubtest.Installation{})
	res, err := Load(context.Background(), e.c, owner, name, baseSHA)
	if err != nil {
		t.Fatal(err)
	}
	if res.LoadErr != nil || res.ParseErr != nil {
		t.Fatalf("errors: load %v, parse %v", res.LoadErr, res.ParseErr)
	}
	if res.Config.FailOn != scanners.Low || len(res.Config.Exclude) != 0 {
		t.Errorf("config = fail_on %v, exclude %v; want the base commit's (low, none)", res.Config.FailOn, res.Config.Exclude)
	}
	want := Source{Origin: FromRepo, Repo: repo, Path: Path, Ref: baseSHA, SHA: githubtest.BlobSHA([]byte("fail_on: low\n"))}
	if res.Source != want {
		t.Errorf("source = %+v, want %+v", res.Source, want)
	}
	if got := res.Source.String(); got != repo+":"+Path+"@"+baseSHA[:12] {
		t.Errorf("source string = %q", got)
	}
	calls := e.s.Calls("repos/get-content")
	if len(calls) != 1 || !strings.Contains(calls[0].Query, "ref="+baseSHA) {
		t.Errorf("contents calls = %+v, want one at the base SHA", calls)
	}
}

func TestLoadFallsBack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		base, org  string
		wantOrigin Origin
		wantFail   scanners.Severity
	}{
		{"org default", "", "fail_on: medium\n", FromOrg, scanners.Medium},
		{"no org repository", "", "", FromDefaults, scanners.High},
		{"org repository without the file", "", "-", FromDefaults, scanners.High},
		{"an empty file is the defaults, not a fallback", "# nothing yet\n", "fail_on: low\n", FromRepo, scanners.High},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			org := tt.org
			e := setup(t, tt.base, "", strings.TrimPrefix(org, "-"), githubtest.Installation{})
			if org == "-" {
				e.s.AddRepo(githubtest.Repo{Owner: owner, Name: ".github", InstallationID: instID})
				e.s.AddCommit(orgFull, orgSHA, "main", map[string]string{"README.md": "hi\n"})
			}
			res, err := Load(context.Background(), e.c, owner, name, baseSHA)
			if err != nil || res.LoadErr != nil || res.ParseErr != nil {
				t.Fatalf("Load: %v, load %v, parse %v", err, res.LoadErr, res.ParseErr)
			}
			if res.Source.Origin != tt.wantOrigin || res.Config.FailOn != tt.wantFail {
				t.Errorf("origin %v fail_on %v, want %v %v", res.Source.Origin, res.Config.FailOn, tt.wantOrigin, tt.wantFail)
			}
			if tt.wantOrigin == FromOrg {
				if res.Source.Repo != orgFull || res.Source.Ref != "" || !strings.HasPrefix(res.Source.String(), "organisation default ") {
					t.Errorf("source = %+v (%s)", res.Source, res.Source)
				}
			}
		})
	}
}

func TestLoadParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, org string
		wantFile        string
		wantLine        int
		wantKey         string
	}{
		{"bad YAML", "fail_on: high\nrules:\n\tdisable: []\n", "", Path, 3, ""},
		{"unknown key", "fail_on: high\n\nfail_onn: low\n", "", Path, 3, "fail_onn"},
		{"bad org default", "", "rules:\n  disable: 5\n", orgFull + ":" + Path, 2, "rules.disable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.base, "", tt.org, githubtest.Installation{})
			res, err := Load(context.Background(), e.c, owner, name, baseSHA)
			if err != nil || res.LoadErr != nil {
				t.Fatalf("Load: %v, load %v", err, res.LoadErr)
			}
			pe := res.ParseErr
			if pe == nil {
				t.Fatalf("no parse error; config %+v", res.Config)
			}
			if pe.File != tt.wantFile || pe.Line != tt.wantLine || pe.Key != tt.wantKey {
				t.Errorf("parse error = %+v (%v), want file %s line %d key %q", *pe, pe, tt.wantFile, tt.wantLine, tt.wantKey)
			}
			if res.Config == nil || res.Config.FailOn != config.Default().FailOn {
				t.Errorf("config on a parse error = %+v, want the defaults", res.Config)
			}
			if res.Retryable() {
				t.Error("a parse error is not retryable")
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		inst      githubtest.Installation
		fault     *githubtest.Fault
		ref       string
		wantKind  gh.Kind
		retryable bool
	}{
		{"403 without contents permission", githubtest.Installation{Permissions: map[string]string{"metadata": "read", "pull_requests": "write"}}, nil, baseSHA, gh.Permission, false},
		{"403 injected", githubtest.Installation{}, &githubtest.Fault{Status: http.StatusForbidden, Message: "Resource not accessible by integration"}, baseSHA, gh.Permission, false},
		{"500s", githubtest.Installation{}, &githubtest.Fault{Status: http.StatusInternalServerError}, baseSHA, gh.Transient, true},
		{"unknown base commit", githubtest.Installation{}, nil, "4444444444444444444444444444444444444444", gh.NotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, "", "", "fail_on: low\n", tt.inst)
			if tt.fault != nil {
				e.s.InjectFault("GET", "repos/get-content", *tt.fault)
			}
			res, err := Load(context.Background(), e.c, owner, name, tt.ref)
			if err != nil {
				t.Fatalf("Load returned %v; only a done context is an error", err)
			}
			var le *config.LoadError
			if !errors.As(res.LoadErr, &le) || gh.KindOf(res.LoadErr) != tt.wantKind {
				t.Fatalf("LoadErr = %v (kind %v), want a *config.LoadError of kind %v", res.LoadErr, gh.KindOf(res.LoadErr), tt.wantKind)
			}
			if res.ParseErr != nil || res.Source.Origin != FromRepo || res.Retryable() != tt.retryable {
				t.Errorf("parse %v, origin %v, retryable %v", res.ParseErr, res.Source.Origin, res.Retryable())
			}
			// A file we could not read must not be replaced by the org default.
			for _, c := range e.s.Calls("repos/get-content") {
				if strings.Contains(c.Path, "/.github/contents") {
					t.Errorf("org default read after a load error: %s", c.Path)
				}
			}
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	t.Parallel()
	e := setup(t, "fail_on: low\n", "", "", githubtest.Installation{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, e.c, owner, name, baseSHA); !errors.Is(err, context.Canceled) {
		t.Errorf("Load = %v, want context.Canceled", err)
	}
}

func TestChangedByPR(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		files []string
		want  bool
	}{
		"none":         {nil, false},
		"other files":  {[]string{"main.go", ".github/workflows/ci.yml"}, false},
		"the config":   {[]string{"main.go", ".github/picket.yml"}, true},
		"a look-alike": {[]string{"docs/.github/picket.yml", ".github/picket.yml.bak"}, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := ChangedByPR(tt.files); got != tt.want {
				t.Errorf("ChangedByPR(%q) = %v, want %v", tt.files, got, tt.want)
			}
		})
	}
}
