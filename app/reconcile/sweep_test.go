package reconcile

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// sweepEnv is newEnv with open pull requests in two installations:
//
//	hello#1  Picket completed on its head        → skip
//	hello#2  only another app's completed check  → scan
//	hello#3  Picket in progress                  → scan (River dedupes a running job)
//	hello#4  closed                              → not listed
//	hello#5  draft                               → skip unless Drafts
//	hello#6  Picket completed on an older head   → scan
//	other/world#1  no check run                  → scan
func sweepEnv(t *testing.T) (*env, *enqueued) {
	t.Helper()
	return sweepEnvOn(t, storetest.SQLiteURL(t))
}

// sweepEnvOn is sweepEnv with the store at url.
func sweepEnvOn(t *testing.T, url string) (*env, *enqueued) {
	t.Helper()
	e := newEnvOn(t, url)
	e.fake.AddInstallation(githubtest.Installation{ID: 8, AppID: appID, Account: "other"})
	e.fake.AddRepo(githubtest.Repo{Owner: "other", Name: "world", InstallationID: 8})
	for n := 1; n <= 6; n++ {
		p := githubtest.PR{Number: n, HeadSHA: sha(n), BaseSHA: sha(0)}
		switch n {
		case 4:
			p.State = "closed"
		case 5:
			p.Draft = true
		}
		e.fake.AddPullRequest(repo, p)
	}
	e.fake.AddPullRequest("other/world", githubtest.PR{Number: 1, HeadSHA: sha(7), BaseSHA: sha(0)})
	c := e.installationClient(t)
	check := func(check, head, status string) {
		opts := github.CreateCheckRunOptions{Name: check, HeadSHA: head, Status: github.String(status)}
		if status == "completed" {
			opts.Conclusion = github.String("success")
		}
		if _, _, err := c.Checks.CreateCheckRun(context.Background(), owner, name, opts); err != nil {
			t.Fatal(err)
		}
	}
	check(publish.CheckName, sha(1), "completed")
	check("other-ci", sha(2), "completed")
	check(publish.CheckName, sha(3), "in_progress")
	check(publish.CheckName, sha(8), "completed") // #6's earlier head
	return e, &enqueued{}
}

func (q *enqueued) scans() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []string
	for _, a := range q.args {
		s := a.(jobs.ScanArgs)
		out = append(out, s.Repo+"#"+strconv.Itoa(s.PR)+"@"+s.HeadSHA[:4]+":"+s.Reason)
	}
	slices.Sort(out)
	return out
}

func TestSweepEnqueuesHeadsWithoutACompletedCheck(t *testing.T) {
	storetest.ForEach(t, testSweepEnqueuesHeadsWithoutACompletedCheck)
}

func testSweepEnqueuesHeadsWithoutACompletedCheck(t *testing.T, url string) {
	e, q := sweepEnvOn(t, url)
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"octo-org/hello#2@" + sha(2)[:4] + ":reconcile",
		"octo-org/hello#3@" + sha(3)[:4] + ":reconcile",
		"octo-org/hello#6@" + sha(6)[:4] + ":reconcile",
		"other/world#1@" + sha(7)[:4] + ":reconcile",
	}
	slices.Sort(want)
	if got := q.scans(); !slices.Equal(got, want) {
		t.Errorf("enqueued %v, want %v", got, want)
	}
	if res.Installations != 2 || res.Repos != 2 || res.PRs != 5 || res.Enqueued != 4 || res.Capped {
		t.Errorf("result = %+v", res)
	}
	// The scan would otherwise be cancelled as superseded: the head is
	// recorded with it.
	if h, ok, _ := e.st.Head(context.Background(), repo, 2); !ok || h != sha(2) {
		t.Errorf("head of #2 = %q, %v; want %s", h, ok, sha(2))
	}
	for _, c := range e.fake.Calls("checks/list-for-ref") {
		if c.Query != "check_name=Picket" {
			t.Errorf("check runs read with %q, want check_name=Picket", c.Query)
		}
	}
}

func TestSweepDraftsAndLimit(t *testing.T) {
	t.Parallel()
	e, q := sweepEnv(t)
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q, Drafts: true, MaxPRs: 3}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Open pull requests are listed newest first: #6, #5 (draft), #3.
	if !res.Capped || res.PRs != 3 || len(e.fake.Calls("checks/list-for-ref")) != 3 {
		t.Errorf("result = %+v with %d check reads, want capped at 3", res, len(e.fake.Calls("checks/list-for-ref")))
	}
	if got := q.scans(); len(got) != 3 || !slices.Contains(got, "octo-org/hello#5@"+sha(5)[:4]+":reconcile") {
		t.Errorf("enqueued %v, want #6, #5 (a draft, with Drafts) and #3", got)
	}
}

func TestSweepKeepsANewerWebhookHead(t *testing.T) {
	t.Parallel()
	e, q := sweepEnv(t)
	// A synchronize recorded after the sweep read GitHub: the sweep's
	// older view must neither overwrite it nor enqueue the older head.
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q}
	s.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	if err := e.st.InTx(context.Background(), func(tx store.Tx) error { return e.st.SetHead(context.Background(), tx, repo, 2, "newer") }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, got := range q.scans() {
		if strings.HasPrefix(got, "octo-org/hello#2@") {
			t.Errorf("enqueued %s over a newer recorded head", got)
		}
	}
	if h, _, _ := e.st.Head(context.Background(), repo, 2); h != "newer" {
		t.Errorf("head of #2 = %q, want the webhook's", h)
	}
}

// A head a webhook already recorded has its scan job (inserted in the
// same transaction): the sweep leaves it to that job, which could
// otherwise finish first and leave the head with two completed runs.
func TestSweepLeavesAWebhookRecordedHeadToItsJob(t *testing.T) {
	t.Parallel()
	e, q := sweepEnv(t)
	if err := e.st.InTx(context.Background(), func(tx store.Tx) error { return e.st.SetHead(context.Background(), tx, repo, 2, sha(2)) }); err != nil {
		t.Fatal(err)
	}
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q}
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := q.scans()
	for _, g := range got {
		if strings.HasPrefix(g, "octo-org/hello#2@") {
			t.Errorf("enqueued %s, whose head a webhook recorded", g)
		}
	}
	if len(got) != 3 {
		t.Errorf("enqueued %v, want the three other heads", got)
	}
}

// TestSweepBacksOffOnRateLimits: GitHub's rate limit on a read is waited
// out by the client's middleware (until the reset), and the sweep goes on.
func TestSweepBacksOffOnRateLimits(t *testing.T) {
	t.Parallel()
	e, q := sweepEnv(t)
	e.fake.InjectFault("GET", "pulls/list", githubtest.Fault{PrimaryRateLimit: true, Times: 1})
	e.fake.InjectFault("GET", "checks/list-for-ref", githubtest.Fault{Status: http.StatusBadGateway, Times: 1})
	s := &Sweeper{Clients: e.clients, Store: e.st, Queue: q}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Enqueued != 4 {
		t.Errorf("result = %+v, want the 4 scans despite the faults", res)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.waits) < 2 || e.waits[0] < 30*time.Second {
		t.Errorf("backoff waits = %v, want one until the rate-limit reset (about a minute) and one after the 502", e.waits)
	}
}
