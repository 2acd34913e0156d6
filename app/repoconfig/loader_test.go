package repoconfig

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/scanners"
)

const otherSHA = "5555555555555555555555555555555555555555"

// contentCalls counts the contents reads of the repository's own file and
// of the organisation default so far.
func contentCalls(s *githubtest.Server) (repoReads, orgReads int) {
	for _, c := range s.Calls("repos/get-content") {
		if strings.Contains(c.Path, "/"+orgFull+"/") {
			orgReads++
		} else {
			repoReads++
		}
	}
	return repoReads, orgReads
}

func mustLoad(t *testing.T, l *Loader, e *env, sha string) Result {
	t.Helper()
	res, err := l.Load(context.Background(), e.c, owner, name, sha)
	if err != nil {
		t.Fatalf("Load(%s) = %v", short(sha), err)
	}
	return res
}

func TestLoaderReusesABaseCommit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		base, org  string
		wantOrigin Origin
		wantParse  bool
		wantReads  [2]int // repository file, org default, on the first Load
	}{
		{"repository file", "fail_on: low\n", "fail_on: medium\n", FromRepo, false, [2]int{1, 0}},
		{"invalid repository file", "fail_on: [\n", "", FromRepo, true, [2]int{1, 0}},
		{"absent, org default", "", "fail_on: medium\n", FromOrg, false, [2]int{1, 1}},
		{"absent everywhere", "", "", FromDefaults, false, [2]int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.base, "", tt.org, githubtest.Installation{})
			l := NewLoader(WithClock(e.s.Clock().Now))
			first := mustLoad(t, l, e, baseSHA)
			if first.LoadErr != nil || (first.ParseErr != nil) != tt.wantParse || first.Source.Origin != tt.wantOrigin {
				t.Fatalf("first Load: origin %v, load %v, parse %v; want origin %v, parse error %v",
					first.Source.Origin, first.LoadErr, first.ParseErr, tt.wantOrigin, tt.wantParse)
			}
			if r, o := contentCalls(e.s); [2]int{r, o} != tt.wantReads {
				t.Fatalf("first Load read (repo, org) = (%d, %d), want %v", r, o, tt.wantReads)
			}
			second := mustLoad(t, l, e, baseSHA)
			if r, o := contentCalls(e.s); [2]int{r, o} != tt.wantReads {
				t.Errorf("second Load of the same commit read again: (repo, org) = (%d, %d), want still %v", r, o, tt.wantReads)
			}
			if second.Source != first.Source || !reflect.DeepEqual(second.Config, first.Config) || second.ParseErr != first.ParseErr {
				t.Errorf("second Load = %+v, want the first's %+v", second, first)
			}
		})
	}
}

func TestLoaderReadsANewBaseCommit(t *testing.T) {
	t.Parallel()
	e := setup(t, "fail_on: low\n", "", "", githubtest.Installation{})
	e.s.AddCommit(repo, otherSHA, "", map[string]string{Path: "fail_on: critical\n"})
	l := NewLoader()
	if got := mustLoad(t, l, e, baseSHA).Config.FailOn; got != scanners.Low {
		t.Fatalf("fail_on at the base = %v, want low", got)
	}
	res := mustLoad(t, l, e, otherSHA)
	if res.Config.FailOn != scanners.Critical || res.Source.Ref != otherSHA {
		t.Errorf("Load at a new base = fail_on %v from %s, want critical from %s", res.Config.FailOn, res.Source, short(otherSHA))
	}
	calls := e.s.Calls("repos/get-content")
	if len(calls) != 2 || !strings.Contains(calls[1].Query, "ref="+otherSHA) {
		t.Errorf("contents calls = %d, want a second one at the new base", len(calls))
	}
}

func TestLoaderDoesNotCacheLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault githubtest.Fault
		kind  gh.Kind
	}{
		{"500", githubtest.Fault{Status: http.StatusInternalServerError}, gh.Transient},
		{"403", githubtest.Fault{Status: http.StatusForbidden, Message: "Resource not accessible by integration"}, gh.Permission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, "fail_on: low\n", "", "", githubtest.Installation{})
			l := NewLoader()
			e.s.InjectFault("GET", "repos/get-content", tt.fault)
			res := mustLoad(t, l, e, baseSHA)
			if gh.KindOf(res.LoadErr) != tt.kind {
				t.Fatalf("Load under a %s = load error %v (kind %v), want kind %v", tt.name, res.LoadErr, gh.KindOf(res.LoadErr), tt.kind)
			}
			failed := len(e.s.Calls("repos/get-content"))
			e.s.ClearFaults()
			res = mustLoad(t, l, e, baseSHA)
			if res.LoadErr != nil || res.Config.FailOn != scanners.Low {
				t.Errorf("Load after the fault = load error %v, fail_on %v; want the file (low)", res.LoadErr, res.Config.FailOn)
			}
			if got := len(e.s.Calls("repos/get-content")); got != failed+1 {
				t.Errorf("contents calls = %d after %d failed, want one more", got, failed)
			}
		})
	}
}

func TestLoaderDoesNotCacheAMissingCommit(t *testing.T) {
	t.Parallel()
	e := setup(t, "", "", "fail_on: medium\n", githubtest.Installation{})
	l := NewLoader()
	res := mustLoad(t, l, e, otherSHA)
	if gh.KindOf(res.LoadErr) != gh.NotFound || res.Source.Origin != FromRepo {
		t.Fatalf("Load at an unknown commit = origin %v, load error %v; want a not-found load error", res.Source.Origin, res.LoadErr)
	}
	// The commit arrives (GitHub had not indexed it yet, say).
	e.s.AddCommit(repo, otherSHA, "", map[string]string{Path: "fail_on: critical\n"})
	res = mustLoad(t, l, e, otherSHA)
	if res.LoadErr != nil || res.Source.Origin != FromRepo || res.Config.FailOn != scanners.Critical {
		t.Errorf("Load once the commit exists = origin %v, load error %v, fail_on %v; want the file (critical)",
			res.Source.Origin, res.LoadErr, res.Config.FailOn)
	}
	if r, o := contentCalls(e.s); r != 2 || o != 0 {
		t.Errorf("reads (repo, org) = (%d, %d), want (2, 0)", r, o)
	}
}

func TestLoaderOrgDefaultTTL(t *testing.T) {
	t.Parallel()
	const ttl = 5 * time.Minute
	e := setup(t, "", "", "fail_on: medium\n", githubtest.Installation{})
	clock := e.s.Clock()
	l := NewLoader(WithOrgTTL(ttl), WithClock(clock.Now))
	if got := mustLoad(t, l, e, baseSHA).Config.FailOn; got != scanners.Medium {
		t.Fatalf("fail_on = %v, want the org default's medium", got)
	}
	// The organisation tightens its default.
	e.s.AddCommit(orgFull, otherSHA, "main", map[string]string{Path: "fail_on: low\n"})

	clock.Advance(ttl - time.Second)
	if got := mustLoad(t, l, e, baseSHA).Config.FailOn; got != scanners.Medium {
		t.Errorf("fail_on before the TTL = %v, want the cached medium", got)
	}
	if r, o := contentCalls(e.s); r != 1 || o != 1 {
		t.Errorf("reads before the TTL (repo, org) = (%d, %d), want (1, 1)", r, o)
	}

	clock.Advance(time.Second)
	if got := mustLoad(t, l, e, baseSHA).Config.FailOn; got != scanners.Low {
		t.Errorf("fail_on after the TTL = %v, want the new default's low", got)
	}
	// The repository's absence at the base commit is still known.
	if r, o := contentCalls(e.s); r != 1 || o != 2 {
		t.Errorf("reads after the TTL (repo, org) = (%d, %d), want (1, 2)", r, o)
	}
}

func TestLoaderOrgDefaultWithoutTTL(t *testing.T) {
	t.Parallel()
	e := setup(t, "", "", "fail_on: medium\n", githubtest.Installation{})
	l := NewLoader(WithOrgTTL(0))
	for range 3 {
		mustLoad(t, l, e, baseSHA)
	}
	if r, o := contentCalls(e.s); r != 1 || o != 3 {
		t.Errorf("reads (repo, org) = (%d, %d), want (1, 3): the org default read every time", r, o)
	}
}

func TestLoaderEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	e := setup(t, "fail_on: low\n", "", "", githubtest.Installation{})
	e.s.AddCommit(repo, otherSHA, "", map[string]string{Path: "fail_on: critical\n"})
	l := NewLoader(WithMaxEntries(1))
	for _, sha := range []string{baseSHA, baseSHA, otherSHA, baseSHA} {
		mustLoad(t, l, e, sha)
	}
	if n := l.cache.len(); n != 1 {
		t.Errorf("cache holds %d entries, want at most 1", n)
	}
	if r, _ := contentCalls(e.s); r != 3 {
		t.Errorf("repository reads = %d, want 3 (base, other, base again after eviction)", r)
	}
}

func TestLoaderCachesOnlyCommitIDs(t *testing.T) {
	t.Parallel()
	l := NewLoader()
	tests := map[string]bool{
		baseSHA:                  true,
		strings.ToUpper(orgSHA):  true,
		strings.Repeat("ab", 32): true, // SHA-256 repository
		"main":                   false,
		"":                       false,
		baseSHA[:12]:             false,
		strings.Repeat("g", 40):  false,
	}
	for ref, want := range tests {
		t.Run(fmt.Sprintf("%q", ref), func(t *testing.T) {
			t.Parallel()
			_, _, got := l.key(Source{Origin: FromRepo, Repo: repo, Path: Path, Ref: ref})
			if got != want {
				t.Errorf("cacheable(ref %q) = %v, want %v", ref, got, want)
			}
		})
	}
}

func TestLoaderConcurrent(t *testing.T) {
	t.Parallel()
	e := setup(t, "fail_on: low\n", "", "", githubtest.Installation{})
	e.s.AddCommit(repo, otherSHA, "", map[string]string{Path: "fail_on: critical\n"})
	l := NewLoader()
	const n = 16
	want := map[string]scanners.Severity{baseSHA: scanners.Low, otherSHA: scanners.Critical}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		sha := baseSHA
		if i%2 == 1 {
			sha = otherSHA
		}
		wg.Go(func() {
			res, err := l.Load(context.Background(), e.c, owner, name, sha)
			switch {
			case err != nil || res.LoadErr != nil:
				errs <- fmt.Errorf("Load(%s) = %v, load error %v", short(sha), err, res.LoadErr)
			case res.Config.FailOn != want[sha]:
				errs <- fmt.Errorf("Load(%s) fail_on = %v, want %v", short(sha), res.Config.FailOn, want[sha])
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	before := len(e.s.Calls("repos/get-content"))
	if before < 2 || before > n {
		t.Errorf("contents calls = %d, want between 2 and %d", before, n)
	}
	mustLoad(t, l, e, baseSHA)
	mustLoad(t, l, e, otherSHA)
	if got := len(e.s.Calls("repos/get-content")); got != before {
		t.Errorf("contents calls after the concurrent loads = %d, want still %d", got, before)
	}
}

func TestLoaderOnTheOrgRepository(t *testing.T) {
	t.Parallel()
	e := setup(t, "", "", "fail_on: medium\n", githubtest.Installation{})
	l := NewLoader()
	for range 2 {
		res, err := l.Load(context.Background(), e.c, owner, orgRepo, orgSHA)
		if err != nil || res.LoadErr != nil {
			t.Fatalf("Load = %v, load error %v", err, res.LoadErr)
		}
		if res.Source.Origin != FromRepo || res.Config.FailOn != scanners.Medium {
			t.Errorf("the .github repository's own file = origin %v fail_on %v, want it at its base (medium)", res.Source.Origin, res.Config.FailOn)
		}
	}
	if n := len(e.s.Calls("repos/get-content")); n != 1 {
		t.Errorf("contents calls = %d, want 1", n)
	}
}
