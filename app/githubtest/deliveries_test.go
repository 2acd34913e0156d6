package githubtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-github/v62/github"
)

// receiver is an app webhook endpoint that answers the given statuses in
// turn (the last one for every later delivery) and records the GUIDs.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	guids    []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	st := rc.statuses[min(len(rc.guids), len(rc.statuses)-1)]
	rc.guids = append(rc.guids, r.Header.Get("X-GitHub-Delivery"))
	w.WriteHeader(st)
}

func (rc *receiver) got() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.guids...)
}

func TestHookDeliveriesListAndRedeliver(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rc := &receiver{statuses: []int{http.StatusInternalServerError, http.StatusAccepted}}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	e.s.SetWebhook(recv.URL+"/webhook", "s3cret")
	ctx := context.Background()
	payload := e.s.Webhooks().Payload("pull_request", "opened", WebhookPatch{InstallationID: testInstID, Repo: testRepo, PR: 1, HeadSHA: headSHA, BaseSHA: baseSHA})
	first, err := e.s.SendWebhook(ctx, "pull_request", payload)
	if err != nil || first.Status != http.StatusInternalServerError {
		t.Fatalf("first delivery: %v %d", err, first.Status)
	}
	second, err := e.s.SendWebhook(ctx, "pull_request", payload)
	if err != nil || second.Status != http.StatusAccepted {
		t.Fatalf("second delivery: %v %d", err, second.Status)
	}

	ds, _, err := e.appGH.Apps.ListHookDeliveries(ctx, &github.ListCursorOptions{PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].GetGUID() != second.ID || ds[1].GetGUID() != first.ID {
		t.Fatalf("deliveries = %v, want newest (%s) first then %s", guidsOf(ds), second.ID, first.ID)
	}
	if ds[1].GetStatusCode() != 500 || ds[1].GetStatus() == "OK" || ds[0].GetStatusCode() != 202 || ds[0].GetStatus() != "OK" {
		t.Errorf("statuses = %d %q, %d %q", ds[1].GetStatusCode(), ds[1].GetStatus(), ds[0].GetStatusCode(), ds[0].GetStatus())
	}
	if ds[1].GetAction() != "opened" || ds[1].GetInstallationID() != testInstID || ds[1].GetEvent() != "pull_request" || ds[1].GetRedelivery() {
		t.Errorf("first delivery = %+v", ds[1])
	}

	// GitHub answers 202 Accepted, which go-github reports as AcceptedError.
	_, _, err = e.appGH.Apps.RedeliverHookDelivery(ctx, ds[1].GetID())
	var acc *github.AcceptedError
	if !errors.As(err, &acc) {
		t.Fatalf("redeliver: %v, want 202 (AcceptedError)", err)
	}
	e.s.WaitRedeliveries()
	got := rc.got()
	if len(got) != 3 || got[2] != first.ID {
		t.Fatalf("received %v, want the first delivery's GUID %s redelivered last", got, first.ID)
	}
	all := e.s.HookDeliveries()
	last := all[len(all)-1]
	if !last.Redelivery || last.GUID != first.ID || last.ID == ds[1].GetID() || last.StatusCode != 202 {
		t.Errorf("redelivery recorded as %+v; want a new id, the same GUID, redelivery true, 202", last)
	}
	if _, _, err := e.appGH.Apps.RedeliverHookDelivery(ctx, 12345); err == nil {
		t.Error("redelivery of an unknown delivery succeeded")
	}
	d, _, err := e.appGH.Apps.GetHookDelivery(ctx, ds[1].GetID())
	if err != nil || d.GetGUID() != first.ID {
		t.Errorf("get delivery: %v %v", d, err)
	}
}

func TestHookDeliveriesCursorPagination(t *testing.T) {
	t.Parallel()
	e := setup(t)
	recv := httptest.NewServer(&receiver{statuses: []int{http.StatusAccepted}})
	t.Cleanup(recv.Close)
	e.s.SetWebhook(recv.URL, "s3cret")
	ctx := context.Background()
	var sent []string
	for i := 0; i < 5; i++ {
		res, err := e.s.SendWebhook(ctx, "ping", []byte(fmt.Sprintf(`{"zen":"%d"}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		sent = append([]string{res.ID}, sent...) // newest first
	}
	// A delivery older than the retention is not listed.
	e.s.Clock().Advance(DeliveryRetention + 1)
	if _, err := e.s.SendWebhook(ctx, "ping", []byte(`{"zen":"new"}`)); err != nil {
		t.Fatal(err)
	}
	ds, _, err := e.appGH.Apps.ListHookDeliveries(ctx, &github.ListCursorOptions{PerPage: 2})
	if err != nil || len(ds) != 1 {
		t.Fatalf("after the retention: %d deliveries, %v; want only the new one", len(ds), err)
	}

	e2 := setup(t)
	e2.s.SetWebhook(recv.URL, "s3cret")
	sent = nil
	for i := 0; i < 5; i++ {
		res, err := e2.s.SendWebhook(ctx, "ping", []byte(fmt.Sprintf(`{"zen":"%d"}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		sent = append([]string{res.ID}, sent...)
	}
	var got []string
	opts := &github.ListCursorOptions{PerPage: 2}
	pages := 0
	for {
		ds, resp, err := e2.appGH.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, guidsOf(ds)...)
		if resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(sent) {
		t.Errorf("%d pages of %v, want 3 pages of %v", pages, got, sent)
	}
}

func guidsOf(ds []*github.HookDelivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.GetGUID())
	}
	return out
}

func TestPullListAndInstallationRepos(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for n := 1; n <= 3; n++ {
		p := PR{Number: n, HeadSHA: fmt.Sprintf("%040d", n), BaseSHA: baseSHA}
		if n == 2 {
			p.State = "closed"
		}
		e.s.AddPullRequest(testRepo, p)
	}
	ctx := context.Background()
	var nums []int
	opts := &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{PerPage: 1}}
	for {
		prs, resp, err := e.gh.PullRequests.List(ctx, testOwner, testName, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range prs {
			nums = append(nums, p.GetNumber())
			if p.GetHead().GetSHA() != fmt.Sprintf("%040d", p.GetNumber()) {
				t.Errorf("#%d head = %s", p.GetNumber(), p.GetHead().GetSHA())
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if fmt.Sprint(nums) != "[3 1]" {
		t.Errorf("open pull requests = %v, want [3 1] (newest first, the closed one left out)", nums)
	}
	repos, _, err := e.gh.Apps.ListRepos(ctx, nil)
	if err != nil || repos.GetTotalCount() != 1 || repos.Repositories[0].GetFullName() != testRepo {
		t.Errorf("installation repositories = %+v, %v", repos, err)
	}
}

func TestHookDeliveryThatNeverArrives(t *testing.T) {
	t.Parallel()
	e := setup(t)
	recv := httptest.NewServer(&receiver{statuses: []int{http.StatusAccepted}})
	recv.Close() // nothing listens: GitHub records "failed to connect"
	e.s.SetWebhook(recv.URL, "s3cret")
	res, err := e.s.SendWebhook(context.Background(), "ping", []byte(`{"zen":"z"}`))
	if err == nil {
		t.Fatal("delivery to a closed server succeeded")
	}
	ds, _, err := e.appGH.Apps.ListHookDeliveries(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].GetStatusCode() != 0 || ds[0].GetStatus() != "failed to connect" || ds[0].GetGUID() == "" || ds[0].GetGUID() != res.ID {
		t.Errorf("deliveries = %+v, want one failed to connect with the GUID %q", ds, res.ID)
	}
}
