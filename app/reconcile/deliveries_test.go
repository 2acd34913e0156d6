package reconcile

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store/storetest"
)

func (e *env) redeliverer() *Redeliverer {
	return &Redeliverer{Clients: e.clients, Store: e.st}
}

// run runs r and waits for the redeliveries it asked for to arrive.
func (e *env) run(t *testing.T, r *Redeliverer) RedeliverResult {
	t.Helper()
	res, err := r.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	e.fake.WaitRedeliveries()
	return res
}

func TestFailedDeliveryIsRedeliveredThenRecorded(t *testing.T) {
	storetest.ForEach(t, testFailedDeliveryIsRedeliveredThenRecorded)
}

func testFailedDeliveryIsRedeliveredThenRecorded(t *testing.T, url string) {
	e := newEnvOn(t, url)
	e.recv.will(fail)
	failed := e.send(t, 1)
	succeeded := e.send(t, 2)
	if has, _ := e.st.HasDelivery(context.Background(), failed.ID); has {
		t.Fatal("the failed delivery was recorded")
	}
	r := e.redeliverer()
	res := e.run(t, r)
	if res.Redelivered != 1 || res.Failed != 1 {
		t.Fatalf("first run = %+v, want one failed delivery redelivered", res)
	}
	got := e.recv.received()
	if want := []string{failed.ID, succeeded.ID, failed.ID}; !slices.Equal(got, want) {
		t.Errorf("the app received %v, want %v (the failed GUID again, the good one once)", got, want)
	}
	if has, err := e.st.HasDelivery(context.Background(), failed.ID); !has || err != nil {
		t.Errorf("after the redelivery HasDelivery = %v, %v; want recorded", has, err)
	}
	ds := e.fake.HookDeliveries()
	if last := ds[len(ds)-1]; !last.Redelivery || last.GUID != failed.ID || last.StatusCode != 202 {
		t.Errorf("last attempt = %+v, want a successful redelivery of %s", last, failed.ID)
	}
	// The newest attempt of every GUID succeeded: nothing more to do.
	if res := e.run(t, r); res.Redelivered != 0 || res.Failed != 0 {
		t.Errorf("second run = %+v, want nothing redelivered", res)
	}
	if n := len(e.fake.Calls("apps/redeliver-webhook-delivery")); n != 1 {
		t.Errorf("%d redelivery requests, want 1", n)
	}
}

func TestRecordedDeliveryIsNotRedelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(recordFail)
	d := e.send(t, 1)
	res := e.run(t, e.redeliverer())
	if res.Failed != 1 || res.Recorded != 1 || res.Redelivered != 0 {
		t.Errorf("run = %+v, want the failed-but-recorded delivery left alone", res)
	}
	if got := e.recv.received(); !slices.Equal(got, []string{d.ID}) {
		t.Errorf("the app received %v, want only the first attempt", got)
	}
	if n := len(e.fake.Calls("apps/redeliver-webhook-delivery")); n != 0 {
		t.Errorf("%d redelivery requests, want 0", n)
	}
}

func TestDeliveriesAcrossPagesAndTheRunLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(fail, ok, fail, fail, ok)
	var failedIDs []string
	for pr, a := range []answer{fail, ok, fail, fail, ok} {
		d := e.send(t, pr+1)
		if a == fail {
			failedIDs = append(failedIDs, d.ID)
		}
	}
	r := e.redeliverer()
	r.perPage, r.MaxRedeliveries = 2, 2
	res := e.run(t, r)
	if res.Listed != 5 || res.Failed != 3 || res.Redelivered != 2 || !res.Capped {
		t.Fatalf("first run = %+v, want 5 listed over 3 pages, 3 failed, 2 redelivered, capped", res)
	}
	if n := len(e.fake.Calls("apps/list-webhook-deliveries")); n != 3 {
		t.Errorf("%d list requests, want 3 pages of 2", n)
	}
	// Oldest first: the first two failures were asked for, in order; the
	// third waits. (The fake redelivers concurrently, so the order of
	// arrival says nothing.)
	guidOf := map[string]string{}
	for _, d := range e.fake.HookDeliveries() {
		guidOf[fmt.Sprintf("/app/hook/deliveries/%d/attempts", d.ID)] = d.GUID
	}
	var asked []string
	for _, c := range e.fake.Calls("apps/redeliver-webhook-delivery") {
		asked = append(asked, guidOf[c.Path])
	}
	if !slices.Equal(asked, failedIDs[:2]) {
		t.Errorf("asked to redeliver %v, want the two oldest failures %v in order", asked, failedIDs[:2])
	}
	got := e.recv.received()[5:]
	slices.Sort(got)
	want := slices.Clone(failedIDs[:2])
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the app received %v again, want %v", got, want)
	}
	res = e.run(t, r)
	if res.Redelivered != 1 || res.Capped {
		t.Errorf("second run = %+v, want the third failure redelivered", res)
	}
	for _, id := range failedIDs {
		if has, _ := e.st.HasDelivery(context.Background(), id); !has {
			t.Errorf("delivery %s never recorded", id)
		}
	}
}

func TestDeliveryFailingForGoodIsGivenUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(fail, fail, fail, fail, fail, fail)
	d := e.send(t, 1)
	r := e.redeliverer()
	r.MaxAttempts = 2
	for i, want := range []int{1, 1, 0} {
		res := e.run(t, r)
		if res.Redelivered != want {
			t.Errorf("run %d = %+v, want %d redelivered", i, res, want)
		}
		if i == 2 && res.GivenUp != 1 {
			t.Errorf("run %d = %+v, want the delivery given up", i, res)
		}
	}
	if got := e.recv.received(); len(got) != 3 || got[2] != d.ID {
		t.Errorf("the app received %v, want the first attempt and two redeliveries", got)
	}
}

func TestWatermarkSkipsWhatWasListed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.send(t, 1)
	e.fake.Clock().Advance(time.Hour)
	e.send(t, 2)
	r := e.redeliverer()
	if res := e.run(t, r); res.Listed != 2 {
		t.Fatalf("first run listed %d, want 2", res.Listed)
	}
	// The watermark is the second delivery's time: the next run lists
	// back to it less the overlap, so not the first delivery again.
	e.recv.will(fail)
	late := e.send(t, 3)
	res := e.run(t, r)
	if res.Listed != 2 || res.Redelivered != 1 {
		t.Errorf("second run = %+v, want 2 listed (from the watermark) and 1 redelivered", res)
	}
	if got := e.recv.received(); got[len(got)-1] != late.ID {
		t.Errorf("last received %s, want %s", got[len(got)-1], late.ID)
	}
}

func TestPendingRedeliveryIsNotAskedTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.recv.will(fail)
	e.send(t, 1)
	// GitHub accepts the redelivery but has not made it by the next run
	// (a faulted call changes no state).
	e.fake.InjectFault("POST", "apps/redeliver-webhook-delivery", githubtest.Fault{Status: http.StatusAccepted, Times: 1})
	r := e.redeliverer()
	if res := e.run(t, r); res.Redelivered != 1 {
		t.Fatalf("first run = %+v, want 1 redelivered", res)
	}
	// A later delivery would move the watermark past the pending one;
	// the watermark holds before it instead.
	e.fake.Clock().Advance(time.Hour)
	e.send(t, 2)
	if res := e.run(t, r); res.Redelivered != 0 || res.Pending != 1 {
		t.Errorf("second run = %+v, want the redelivery pending, not asked again", res)
	}
	// Past the grace, a redelivery that never came is asked for again.
	r.Now = func() time.Time { return time.Now().Add(pendingGrace + time.Minute) }
	if res := e.run(t, r); res.Redelivered != 1 {
		t.Errorf("run after the grace = %+v, want it asked again", res)
	}
	if n := len(e.fake.Succeeded("apps/redeliver-webhook-delivery")); n != 2 {
		t.Errorf("%d redelivery requests, want 2", n)
	}
}

// TestUnreachableDeliveryIsRedelivered: while Picket was down GitHub could
// not connect at all (status code 0); once it is back, the run brings it.
func TestUnreachableDeliveryIsRedelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	e.fake.SetWebhook(down.URL, secret)
	body := e.fake.Webhooks().Payload("ping", "event", githubtest.WebhookPatch{})
	res, err := e.fake.SendWebhook(context.Background(), "ping", body)
	if err == nil {
		t.Fatal("delivery to a stopped app succeeded")
	}
	e.fake.SetWebhook(e.webhookURL, secret)
	if got := e.run(t, e.redeliverer()); got.Redelivered != 1 {
		t.Fatalf("run = %+v, want the unreachable delivery redelivered", got)
	}
	if has, _ := e.st.HasDelivery(context.Background(), res.ID); !has {
		t.Errorf("delivery %s not recorded after the redelivery", res.ID)
	}
}
