package githubtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DeliveryRetention is how long GitHub keeps a webhook delivery for the
// deliveries API: "the past 3 days"
// (docs.github.com/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks).
const DeliveryRetention = 72 * time.Hour

// HookDelivery is one attempt to deliver a webhook to the app, as the
// fake recorded it when it sent it (SendWebhook, or a redelivery asked
// for through the API).
type HookDelivery struct {
	ID             int64 // the delivery's own id; every attempt has a new one
	GUID           string
	Event          string
	Action         string
	InstallationID int64
	RepositoryID   int64
	StatusCode     int    // the app's answer; 0 when it could not be reached
	Status         string // "OK", "Invalid HTTP Response: 500", "failed to connect"
	Redelivery     bool
	DeliveredAt    time.Time // fake clock
	Duration       time.Duration
	Payload        []byte
}

// hookState is the app's webhook configuration and the deliveries made
// to it. It has its own lock: sending a webhook waits for the app, which
// may be calling the fake meanwhile.
type hookState struct {
	mu         sync.Mutex
	url        string
	secret     string
	nextID     int64
	deliveries []*HookDelivery // oldest first
	inflight   sync.WaitGroup  // redeliveries being sent
}

// SetWebhook sets the app's webhook URL and secret, where SendWebhook and
// redeliveries go.
func (s *Server) SetWebhook(url, secret string) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.url, s.hooks.secret = url, secret
}

// SendWebhook delivers payload as GitHub does (see Deliver) to the URL
// set with SetWebhook and records the attempt, so that the deliveries API
// lists it and can redeliver it.
func (s *Server) SendWebhook(ctx context.Context, event string, payload []byte, opts ...DeliverOption) (DeliveryResult, error) {
	return s.sendWebhook(ctx, event, payload, "", false, opts...)
}

func (s *Server) sendWebhook(ctx context.Context, event string, payload []byte, guid string, redelivery bool, opts ...DeliverOption) (DeliveryResult, error) {
	s.hooks.mu.Lock()
	u, secret := s.hooks.url, s.hooks.secret
	s.hooks.mu.Unlock()
	if u == "" {
		s.t.Fatalf("githubtest: SendWebhook before SetWebhook")
	}
	if guid == "" {
		// Chosen here so an attempt that never reaches the app still
		// has its GUID.
		guid = NewGUID()
	}
	opts = append([]DeliverOption{WithDeliveryID(guid)}, opts...)
	start := time.Now()
	res, err := Deliver(ctx, u, secret, event, payload, opts...)
	d := &HookDelivery{
		GUID: guid, Event: event, StatusCode: res.Status, Redelivery: redelivery,
		DeliveredAt: s.clock.Now(), Duration: time.Since(start), Payload: payload,
	}
	if res.ID != "" {
		d.GUID = res.ID // a test's WithDeliveryID option wins
	} else {
		res.ID = guid
	}
	switch {
	case err != nil:
		d.Status, d.StatusCode = "failed to connect", 0
	case res.Status >= 200 && res.Status < 300:
		d.Status = "OK"
	default:
		d.Status = fmt.Sprintf("Invalid HTTP Response: %d", res.Status)
	}
	var env struct {
		Action       string `json:"action"`
		Installation struct {
			ID int64 `json:"id"`
		} `json:"installation"`
		Repository struct {
			ID int64 `json:"id"`
		} `json:"repository"`
	}
	if json.Unmarshal(payload, &env) == nil {
		d.Action, d.InstallationID, d.RepositoryID = env.Action, env.Installation.ID, env.Repository.ID
	}
	s.hooks.mu.Lock()
	s.hooks.nextID++
	d.ID = 90000000 + s.hooks.nextID
	s.hooks.deliveries = append(s.hooks.deliveries, d)
	s.hooks.mu.Unlock()
	return res, err
}

// HookDeliveries returns copies of every delivery attempt, oldest first.
func (s *Server) HookDeliveries() []HookDelivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]HookDelivery, 0, len(s.hooks.deliveries))
	for _, d := range s.hooks.deliveries {
		out = append(out, *d)
	}
	return out
}

// WaitRedeliveries waits until every redelivery asked for so far has been
// sent and recorded. GitHub answers the redelivery request with 202 and
// delivers later; the fake does the same, on its own goroutine.
func (s *Server) WaitRedeliveries() { s.hooks.inflight.Wait() }

// hookObject is a delivery in the hook-delivery-item shape.
func hookObject(d *HookDelivery) map[string]any {
	o := map[string]any{
		"id": d.ID, "guid": d.GUID, "delivered_at": ts(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration.Seconds(), "status": d.Status, "status_code": d.StatusCode,
		"event": d.Event, "action": nil, "installation_id": nil, "repository_id": nil, "throttled_at": nil,
	}
	if d.Action != "" {
		o["action"] = d.Action
	}
	if d.InstallationID != 0 {
		o["installation_id"] = d.InstallationID
	}
	if d.RepositoryID != 0 {
		o["repository_id"] = d.RepositoryID
	}
	return o
}

// retained is the deliveries GitHub still lists, newest first.
func (s *Server) retained() []*HookDelivery {
	cutoff := s.clock.Now().Add(-DeliveryRetention)
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	var out []*HookDelivery
	for i := len(s.hooks.deliveries) - 1; i >= 0; i-- {
		if d := s.hooks.deliveries[i]; d.DeliveredAt.After(cutoff) {
			out = append(out, d)
		}
	}
	return out
}

// hookListDeliveries lists deliveries newest first with cursor
// pagination: the cursor is opaque to the client, and the next page's is
// only given in the Link header (rel="next"), as GitHub does.
func (s *Server) hookListDeliveries(ex *exchange) reply {
	perPage := 30
	if v, err := strconv.Atoi(ex.query.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, MaxPerPage)
	}
	var before int64 = -1
	if c := ex.query.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(c, "v1_"), 10, 64)
		if !strings.HasPrefix(c, "v1_") || err != nil {
			return validationError("Validation Failed", []fieldError{{Resource: "Delivery", Field: "cursor", Code: "invalid"}})
		}
		before = n
	}
	want := ex.query.Get("status")
	var page []*HookDelivery
	more := false
	for _, d := range s.retained() {
		if before >= 0 && d.ID >= before {
			continue
		}
		ok := d.StatusCode >= 200 && d.StatusCode < 400
		if (want == "success" && !ok) || (want == "failure" && (d.StatusCode < 400 || d.StatusCode > 599)) {
			continue
		}
		if len(page) == perPage {
			more = true
			break
		}
		page = append(page, d)
	}
	out := []any{}
	for _, d := range page {
		out = append(out, hookObject(d))
	}
	r := jsonReply(http.StatusOK, out)
	if more {
		q := url.Values{}
		q.Set("per_page", strconv.Itoa(perPage))
		q.Set("cursor", fmt.Sprintf("v1_%d", page[len(page)-1].ID))
		if want != "" {
			q.Set("status", want)
		}
		r.header = http.Header{}
		r.header.Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.URL(), ex.r.URL.Path, q.Encode()))
	}
	return r
}

// findDelivery returns a retained delivery by id.
func (s *Server) findDelivery(id int64) (*HookDelivery, bool) {
	for _, d := range s.retained() {
		if d.ID == id {
			return d, true
		}
	}
	return nil, false
}

func (s *Server) hookGetDelivery(ex *exchange) reply {
	d, ok := s.findDelivery(ex.intParam("delivery_id"))
	if !ok {
		return basicError(http.StatusNotFound, "Not Found")
	}
	o := hookObject(d)
	s.hooks.mu.Lock()
	o["url"] = s.hooks.url
	s.hooks.mu.Unlock()
	var payload any
	if json.Unmarshal(d.Payload, &payload) != nil {
		payload = nil
	}
	o["request"] = map[string]any{"headers": map[string]any{"X-GitHub-Delivery": d.GUID, "X-GitHub-Event": d.Event}, "payload": payload}
	o["response"] = map[string]any{"headers": map[string]any{}, "payload": nil}
	return jsonReply(http.StatusOK, o)
}

// hookRedeliver accepts a redelivery and sends it after answering: a new
// delivery id, the same X-GitHub-Delivery GUID, redelivery true.
func (s *Server) hookRedeliver(ex *exchange) reply {
	d, ok := s.findDelivery(ex.intParam("delivery_id"))
	if !ok {
		return basicError(http.StatusNotFound, "Not Found")
	}
	event, payload, guid := d.Event, d.Payload, d.GUID
	s.hooks.inflight.Add(1)
	go func() {
		defer s.hooks.inflight.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// A failed redelivery is recorded like any attempt; the error
		// itself is the app's answer, which the test inspects.
		_, _ = s.sendWebhook(ctx, event, payload, guid, true)
	}()
	return jsonReply(http.StatusAccepted, map[string]any{})
}
