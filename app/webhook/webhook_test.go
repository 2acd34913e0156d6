package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/webhook"
)

const secret = "It's a Secret to Everybody"

type memRecorder struct {
	mu   sync.Mutex
	seen map[string]webhook.Delivery
	err  error
}

func (m *memRecorder) Record(_ context.Context, d webhook.Delivery) (webhook.Outcome, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return 0, m.err
	}
	if _, dup := m.seen[d.ID]; dup {
		return webhook.Duplicate, nil
	}
	m.seen[d.ID] = d
	return webhook.Accepted, nil
}

func newServer(t *testing.T, rec webhook.Recorder, logs *bytes.Buffer) *httptest.Server {
	t.Helper()
	h, err := webhook.New(secret, rec, []string{"pull_request", "issue_comment", "ping"},
		webhook.WithLogger(slog.New(slog.NewJSONHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestRealPayloads(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	rec := &memRecorder{seen: map[string]webhook.Delivery{}}
	var logs bytes.Buffer
	srv := newServer(t, rec, &logs)
	ctx := context.Background()

	opened := hooks.Payload("pull_request", "opened", githubtest.WebhookPatch{InstallationID: 4242, Repo: "acme/app", PR: 7})
	res, err := githubtest.Deliver(ctx, srv.URL, secret, "pull_request", opened)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusAccepted {
		t.Fatalf("opened: status %d (%s), want 202", res.Status, res.Body)
	}
	d := rec.seen[res.ID]
	if d.Event != "pull_request" || d.Action != "opened" || d.InstallationID != 4242 || !bytes.Equal(d.Payload, opened) {
		t.Errorf("recorded %+v", d)
	}
	again, err := githubtest.Deliver(ctx, srv.URL, secret, "pull_request", opened, githubtest.WithDeliveryID(res.ID))
	if err != nil || again.Status != http.StatusOK || len(rec.seen) != 1 {
		t.Errorf("redelivery: status %d, err %v, %d recorded; want 200 and still 1", again.Status, err, len(rec.seen))
	}
	ping := hooks.Payload("ping", "event", githubtest.WebhookPatch{})
	if res, err := githubtest.Deliver(ctx, srv.URL, secret, "ping", ping); err != nil || res.Status != http.StatusAccepted {
		t.Errorf("ping: %d %v", res.Status, err)
	}
	suite := hooks.Payload("check_suite", "completed", githubtest.WebhookPatch{})
	if res, err := githubtest.Deliver(ctx, srv.URL, secret, "check_suite", suite); err != nil || res.Status != http.StatusAccepted || rec.seen[res.ID].ID != "" {
		t.Errorf("unhandled event: %d %v, recorded %v", res.Status, err, rec.seen[res.ID].ID != "")
	}
	if !strings.Contains(logs.String(), `"delivery_id":"`+res.ID+`"`) {
		t.Errorf("log lines do not carry the delivery id:\n%s", logs.String())
	}
}

func TestRejections(t *testing.T) {
	hooks := githubtest.LoadWebhooks(t, "")
	body := hooks.Payload("pull_request", "synchronize", githubtest.WebhookPatch{InstallationID: 1})
	ctx := context.Background()
	tests := []struct {
		name    string
		payload []byte
		opts    []githubtest.DeliverOption
		secret  string
		status  int
	}{
		{"missing signature", body, []githubtest.DeliverOption{githubtest.WithHeader("X-Hub-Signature-256", "")}, secret, 401},
		{"wrong secret", body, nil, "not the secret", 401},
		{"signature without sha256= prefix", body, []githubtest.DeliverOption{githubtest.WithHeader("X-Hub-Signature-256", githubtest.Sign(secret, body)[len("sha256="):])}, secret, 401},
		{"malformed json", []byte(`{"action": "opened",`), nil, secret, 400},
		{"no delivery id", body, []githubtest.DeliverOption{githubtest.WithHeader("X-GitHub-Delivery", "")}, secret, 400},
		{"form encoded", body, []githubtest.DeliverOption{githubtest.WithHeader("Content-Type", "application/x-www-form-urlencoded")}, secret, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &memRecorder{seen: map[string]webhook.Delivery{}}
			var logs bytes.Buffer
			srv := newServer(t, rec, &logs)
			res, err := githubtest.Deliver(ctx, srv.URL, tt.secret, "pull_request", tt.payload, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || len(rec.seen) != 0 {
				t.Errorf("status %d (%s), %d recorded; want %d and none", res.Status, res.Body, len(rec.seen), tt.status)
			}
			if !strings.Contains(logs.String(), `"level":"WARN"`) {
				t.Errorf("no warning logged for a rejected delivery: %s", logs.String())
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	rec := &memRecorder{seen: map[string]webhook.Delivery{}}
	srv := newServer(t, rec, &bytes.Buffer{})
	big := bytes.Repeat([]byte(" "), webhook.MaxPayload+1)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", githubtest.Sign(secret, big))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}

func TestRecorderFailureIs503(t *testing.T) {
	rec := &memRecorder{seen: map[string]webhook.Delivery{}, err: errors.New("database is locked")}
	srv := newServer(t, rec, &bytes.Buffer{})
	res, err := githubtest.Deliver(context.Background(), srv.URL, secret, "ping", []byte(`{"zen":"x"}`))
	if err != nil || res.Status != http.StatusServiceUnavailable {
		t.Errorf("status %d err %v, want 503", res.Status, err)
	}
}

func TestEmptySecretRefused(t *testing.T) {
	if _, err := webhook.New("", &memRecorder{}, nil); err == nil {
		t.Error("New accepted an empty secret")
	}
}

func BenchmarkAcknowledge(b *testing.B) {
	rec := &memRecorder{seen: map[string]webhook.Delivery{}}
	h, _ := webhook.New(secret, rec, []string{"pull_request"})
	body := bytes.Repeat([]byte(`{"action":"opened","installation":{"id":1},"pad":"xxxxxxxxxxxxxxxx"}`), 1)
	sig := githubtest.Sign(secret, body)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", sig)
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", githubtest.NewGUID())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d", w.Code)
		}
	}
}
