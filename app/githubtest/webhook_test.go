package githubtest

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSignVector(t *testing.T) {
	t.Parallel()
	// From docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries.
	got := Sign("It's a Secret to Everybody", []byte("Hello, World!"))
	want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestDeliver(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	var got *http.Request
	var body []byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		body, _ = io.ReadAll(r.Body) // test receiver: a short read fails the checks below
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(recv.Close)
	payload := []byte(`{"zen":"Keep it logically awesome.",  "hook_id": 1}`)
	res, err := Deliver(context.Background(), recv.URL, secret, "ping", payload)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusAccepted || string(body) != string(payload) {
		t.Errorf("status %d, body %q; want 202 and the exact bytes", res.Status, body)
	}
	h := got.Header
	if !hmac.Equal([]byte(h.Get("X-Hub-Signature-256")), []byte(Sign(secret, payload))) {
		t.Errorf("signature %q does not sign the bytes sent", h.Get("X-Hub-Signature-256"))
	}
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if h.Get("X-GitHub-Event") != "ping" || !guid.MatchString(h.Get("X-GitHub-Delivery")) || res.ID != h.Get("X-GitHub-Delivery") ||
		!strings.HasPrefix(h.Get("User-Agent"), "GitHub-Hookshot/") || h.Get("Content-Type") != "application/json" ||
		h.Get("X-GitHub-Hook-ID") == "" || h.Get("X-GitHub-Hook-Installation-Target-Type") != "integration" {
		t.Errorf("headers = %v", h)
	}
	res, err = Deliver(context.Background(), recv.URL, secret, "ping", payload, WithDeliveryID("abc"), WithHeader("X-Hub-Signature-256", ""))
	if err != nil || res.ID != "abc" || got.Header.Get("X-Hub-Signature-256") != "" {
		t.Errorf("options: id %q, signature %q, %v", res.ID, got.Header.Get("X-Hub-Signature-256"), err)
	}
	big := make([]byte, MaxWebhookPayload+1)
	if _, err := Deliver(context.Background(), recv.URL, secret, "ping", big); !errors.Is(err, ErrPayloadTooLarge) {
		t.Errorf("over 25 MB: %v, want ErrPayloadTooLarge", err)
	}
}

// TestEveryExamplePayloadValidates builds every recorded example,
// patched for an app installation, and checks it against GitHub's schema
// (Payload fails the test otherwise), including the older captures the
// README lists as failing unpatched.
func TestEveryExamplePayloadValidates(t *testing.T) {
	t.Parallel()
	s := New(t)
	w := s.Webhooks()
	files, err := filepath.Glob(filepath.Join(w.dir, "webhooks", "*", "*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("found %d example files, %v", len(files), err)
	}
	for _, f := range files {
		event := filepath.Base(filepath.Dir(f))
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(event+"/"+name, func(t *testing.T) {
			out := w.Payload(event, name, WebhookPatch{InstallationID: testInstID, Repo: testRepo, Sender: "alice"})
			var m map[string]any
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatal(err)
			}
			in, _ := m["installation"].(map[string]any)
			if in == nil || in["id"] != float64(testInstID) {
				t.Errorf("installation = %v, want id %d", m["installation"], testInstID)
			}
		})
	}
}

func TestPayloadPatch(t *testing.T) {
	t.Parallel()
	s := New(t)
	w := s.Webhooks()
	out := w.Payload("pull_request", "synchronize", WebhookPatch{
		InstallationID: testInstID, Repo: testRepo, PR: 9, HeadSHA: headSHA, BaseSHA: baseSHA, HeadRepo: "mallory/hello",
	})
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
			Head   struct {
				SHA  string `json:"sha"`
				Repo struct {
					FullName string `json:"full_name"`
					Fork     bool   `json:"fork"`
				} `json:"repo"`
			} `json:"head"`
			Base struct {
				SHA string `json:"sha"`
			} `json:"base"`
		} `json:"pull_request"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(out, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Number != 9 || ev.PullRequest.Number != 9 || ev.PullRequest.Head.SHA != headSHA || ev.PullRequest.Base.SHA != baseSHA ||
		ev.PullRequest.Head.Repo.FullName != "mallory/hello" || !ev.PullRequest.Head.Repo.Fork || ev.Repository.FullName != testRepo {
		t.Errorf("patched event = %+v", ev)
	}
	out = w.Payload("issue_comment", "created", WebhookPatch{InstallationID: testInstID, Repo: testRepo, PR: 9, CommentBody: "/picket rescan", Sender: "alice", CommentID: 77})
	var ic struct {
		Issue struct {
			Number      int            `json:"number"`
			PullRequest map[string]any `json:"pull_request"`
		} `json:"issue"`
		Comment struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
			User struct {
				Login string `json:"login"`
			} `json:"user"`
		} `json:"comment"`
	}
	if err := json.Unmarshal(out, &ic); err != nil {
		t.Fatal(err)
	}
	if ic.Issue.Number != 9 || ic.Issue.PullRequest == nil || ic.Comment.Body != "/picket rescan" || ic.Comment.User.Login != "alice" || ic.Comment.ID != 77 {
		t.Errorf("patched comment event = %+v", ic)
	}
	out = w.Payload("check_run", "rerequested", WebhookPatch{InstallationID: testInstID, Repo: testRepo, HeadSHA: headSHA, CheckRunID: 5})
	if !strings.Contains(string(out), headSHA) {
		t.Errorf("check_run payload lacks the head SHA")
	}
}

func TestValidateRejectsBrokenPayload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, err := SpecDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(src, "webhooks-openapi-subset.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "webhooks-openapi-subset.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	w := LoadWebhooks(t, dir)
	if err := w.Validate("pull_request", []byte(`{"action":"opened","number":"one"}`)); err == nil {
		t.Error("a pull_request payload without its required fields validated")
	}
}
