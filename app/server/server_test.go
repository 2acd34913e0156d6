package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store"
)

const testSecret = "webhook-secret-for-tests"

// fakePipeline records scans; block makes Scan wait for release or ctx.
type fakePipeline struct {
	mu      sync.Mutex
	scans   []jobs.ScanArgs
	started chan struct{}
	block   bool
}

func (p *fakePipeline) Scan(ctx context.Context, a jobs.ScanArgs) error {
	p.mu.Lock()
	p.scans = append(p.scans, a)
	p.mu.Unlock()
	if p.started != nil {
		p.started <- struct{}{}
	}
	if p.block {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func baseConfig(t testing.TB) Config {
	t.Helper()
	return Config{
		GitHubURL: DefaultGitHubURL, DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "picket.db"),
		Listen: "127.0.0.1:0", LogFormat: "json", Concurrency: 2, ShutdownTimeout: 5 * time.Second,
	}
}

func configured(t testing.TB) Config {
	t.Helper()
	gh := githubtest.New(t)
	key, pemBytes := githubtest.GenerateAppKey(t)
	gh.AddApp(42, &key.PublicKey)
	c := baseConfig(t)
	c.AppID, c.PrivateKey, c.WebhookSecret, c.GitHubURL = 42, pemBytes, testSecret, gh.BaseURL()
	return c
}

// running is a server serving on a loopback listener.
type running struct {
	s    *Server
	url  string
	stop context.CancelFunc
	done chan error
	logs *syncBuffer
	// dbClosed: the test closed the database under the queue, so the
	// queue may fail to stop cleanly.
	dbClosed bool
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t testing.TB, cfg Config, opts ...Option) *running {
	t.Helper()
	logs := &syncBuffer{}
	log := NewLogger(logs, "json")
	opts = append([]Option{WithPollInterval(20 * time.Millisecond)}, opts...)
	s, err := New(context.Background(), cfg, log, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{s: s, url: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1), logs: logs}
	go func() { r.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-r.done; err != nil && !r.dbClosed {
			t.Errorf("Serve: %v", err)
		}
	})
	return r
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthReadyAndDatabaseLoss(t *testing.T) {
	cfg := configured(t)
	cfg.ShutdownTimeout = 200 * time.Millisecond
	r := start(t, cfg, WithPipeline(&fakePipeline{}))
	if code, _ := get(t, r.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
	if code, body := get(t, r.url+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz: %d %s", code, body)
	}
	r.dbClosed = true
	r.s.st.DB.Close()
	if code, body := get(t, r.url+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
		t.Errorf("/readyz after closing the database: %d %q, want 503 naming the database", code, body)
	}
	if code, _ := get(t, r.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz after closing the database: %d, want 200 (the process is up)", code)
	}
}

func TestWebhookEnqueuesAndIsCounted(t *testing.T) {
	p := &fakePipeline{started: make(chan struct{}, 1)}
	r := start(t, configured(t), WithPipeline(p))
	hooks := githubtest.LoadWebhooks(t, "")
	body := hooks.Payload("pull_request", "opened", githubtest.WebhookPatch{InstallationID: 7, Repo: "acme/app", PR: 3,
		HeadSHA: strings.Repeat("a", 40), BaseSHA: strings.Repeat("b", 40)})
	res, err := githubtest.Deliver(context.Background(), r.url+"/webhook", testSecret, "pull_request", body)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusAccepted {
		t.Fatalf("delivery: %d %s", res.Status, res.Body)
	}
	select {
	case <-p.started:
	case <-time.After(30 * time.Second): // a hang guard, not a speed assertion
		t.Fatal("the scan job never ran")
	}
	p.mu.Lock()
	got := p.scans[0]
	p.mu.Unlock()
	if got.Repo != "acme/app" || got.PR != 3 || got.HeadSHA != strings.Repeat("a", 40) || got.DeliveryID != res.ID {
		t.Errorf("scan args %+v", got)
	}
	bad, err := githubtest.Deliver(context.Background(), r.url+"/webhook", "wrong-secret", "pull_request", body)
	if err != nil {
		t.Fatal(err)
	}
	if bad.Status != http.StatusUnauthorized {
		t.Errorf("wrong signature: %d", bad.Status)
	}
	// The job's duration and log record are written just after Scan returns.
	eventually(t, func() bool { return strings.Contains(r.logs.String(), "scan job done") })
	for _, key := range []string{`"job_id":`, `"delivery_id":"` + res.ID + `"`, `"head_sha":"` + strings.Repeat("a", 40) + `"`, `"installation_id":7`} {
		if !strings.Contains(r.logs.String(), key) {
			t.Errorf("the scan job's log lacks %s", key)
		}
	}
	_, metrics := get(t, r.url+"/metrics")
	for _, want := range []string{
		`picket_webhooks_total{event="pull_request",outcome="accepted"} 1`,
		`picket_webhooks_total{event="pull_request",outcome="bad_signature"} 1`,
		`picket_scan_duration_seconds_count{outcome="ok",size="unknown"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(r.logs.String(), testSecret) {
		t.Error("the log contains the webhook secret")
	}
}

func TestUnconfigured(t *testing.T) {
	cfg := baseConfig(t)
	cfg.AppID = 42 // one of three set: the others are still named
	r := start(t, cfg)
	code, home := get(t, r.url+"/")
	if code != http.StatusOK {
		t.Fatalf("home: %d", code)
	}
	for _, want := range []string{"Not configured", EnvPrivateKey, EnvWebhookSecret, "app.yml", "/webhook", "checks: write"} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(home, "<li><code>"+EnvAppID+"</code>") {
		t.Errorf("home page lists %s as missing though it is set", EnvAppID)
	}
	res, err := githubtest.Deliver(context.Background(), r.url+"/webhook", testSecret, "ping", []byte(`{"zen":"hi","hook_id":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(string(res.Body), EnvWebhookSecret) {
		t.Errorf("webhook without credentials: %d %q, want 503 naming what is missing", res.Status, res.Body)
	}
	if code, _ := get(t, r.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
	if code, _ := get(t, r.url+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz unconfigured: %d, want 503", code)
	}
	if code, m := get(t, r.url+"/metrics"); code != http.StatusOK || !strings.Contains(m, `picket_webhooks_total{event="ping",outcome="unconfigured"} 1`) {
		t.Errorf("/metrics: %d, counter missing", code)
	}
	if logs := r.logs.String(); !strings.Contains(logs, "not configured") || !strings.Contains(logs, EnvWebhookSecret) {
		t.Errorf("the log does not say what is missing:\n%s", logs)
	}
}

func TestShutdownCancelsOverrunningJobs(t *testing.T) {
	p := &fakePipeline{started: make(chan struct{}, 1), block: true}
	cfg := configured(t)
	cfg.ShutdownTimeout = 100 * time.Millisecond
	logs := &syncBuffer{}
	s, err := New(context.Background(), cfg, NewLogger(logs, "text"), WithPipeline(p), WithPollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	hooks := githubtest.LoadWebhooks(t, "")
	body := hooks.Payload("pull_request", "opened", githubtest.WebhookPatch{InstallationID: 7, Repo: "acme/app", PR: 3,
		HeadSHA: strings.Repeat("c", 40), BaseSHA: strings.Repeat("d", 40)})
	if res, err := githubtest.Deliver(ctx, "http://"+ln.Addr().String()+"/webhook", testSecret, "pull_request", body); err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("delivery: %v %+v", err, res)
	}
	select {
	case <-p.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the scan job never ran")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang guard: the deadline is 100ms
		t.Fatal("Serve did not return after the shutdown deadline")
	}
	if !strings.Contains(logs.String(), "cancelling them") {
		t.Errorf("the overrunning job was not reported:\n%s", logs.String())
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
	if err := s.st.Ping(context.Background()); err == nil {
		t.Error("the store is still open after shutdown")
	}
	// Released, not lost: the cancelled job is back in the queue for
	// another replica (or this one's next start) to run.
	st, err := store.Open(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var state string
	if err := st.QueryRow(context.Background(), `SELECT state FROM river_job`).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "retryable" && state != "available" {
		t.Errorf("the cancelled job is %q after shutdown, want retryable or available", state)
	}
}

func TestLoggerFormats(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		var b bytes.Buffer
		NewLogger(&b, format).Info("x", "config", Config{WebhookSecret: "hunter2", PrivateKey: []byte("KEYDATA")})
		out := b.String()
		if strings.Contains(out, "hunter2") || strings.Contains(out, "KEYDATA") {
			t.Errorf("%s log shows a secret: %s", format, out)
		}
		if isJSON := strings.HasPrefix(out, "{"); isJSON != (format == "json") {
			t.Errorf("%s log: %s", format, out)
		}
	}
}

// eventually polls cond until it holds; the limit only guards against a
// hang.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
	}
}

// SQLite serves one process: a second server on the same database file is
// refused with a message pointing to PostgreSQL; after the first closes,
// it starts.
func TestSecondServerOnOneSQLiteFileRefused(t *testing.T) {
	cfg := baseConfig(t)
	ctx := context.Background()
	first, err := New(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, cfg, nil); err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Errorf("second New = %v, want a refusal naming PostgreSQL", err)
	}
	if err := first.close(); err != nil {
		t.Fatal(err)
	}
	again, err := New(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("New after the first closed = %v", err)
	}
	again.close()
}
