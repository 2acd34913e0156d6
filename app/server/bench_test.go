package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
)

// BenchmarkWebhookAck measures the acknowledgement of a signed
// pull_request delivery through the server's full handler: signature,
// routing, and the SQLite transaction that records the delivery, the
// head and the River job. Each delivery is a new head, so each enqueues.
// It reports the p50 and p99 latency seen by the sender on loopback.
func BenchmarkWebhookAck(b *testing.B) {
	cfg := configured(b)
	s, err := New(context.Background(), cfg, nil, WithPipeline(&fakePipeline{}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.close() })
	srv := httptest.NewServer(s.Handler())
	b.Cleanup(srv.Close)
	hooks := githubtest.LoadWebhooks(b, "")
	client := srv.Client()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		body := hooks.Payload("pull_request", "synchronize", githubtest.WebhookPatch{InstallationID: 7, Repo: "acme/app", PR: 1 + i%50,
			HeadSHA: fmt.Sprintf("%040x", i+1), BaseSHA: fmt.Sprintf("%040x", 0xba5e)})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", githubtest.NewGUID())
		req.Header.Set("X-Hub-Signature-256", githubtest.Sign(testSecret, body))
		b.StartTimer()
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if resp.StatusCode != http.StatusAccepted {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
