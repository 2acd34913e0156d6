package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
)

// ackBench is a configured server on loopback and a supply of signed
// pull_request deliveries, each a new head so each enqueues a River job.
type ackBench struct {
	url    string
	client *http.Client
	hooks  *githubtest.Webhooks
}

func newAckBench(b *testing.B) *ackBench {
	cfg := configured(b)
	s, err := New(context.Background(), cfg, nil, WithPipeline(&fakePipeline{}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.close() })
	srv := httptest.NewServer(s.Handler())
	b.Cleanup(srv.Close)
	return &ackBench{url: srv.URL + "/webhook", client: srv.Client(), hooks: githubtest.LoadWebhooks(b, "")}
}

func (a *ackBench) request(i int) *http.Request {
	body := a.hooks.Payload("pull_request", "synchronize", githubtest.WebhookPatch{InstallationID: 7, Repo: "acme/app", PR: 1 + i%50,
		HeadSHA: fmt.Sprintf("%040x", i+1), BaseSHA: fmt.Sprintf("%040x", 0xba5e)})
	req, _ := http.NewRequest(http.MethodPost, a.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", githubtest.NewGUID())
	req.Header.Set("X-Hub-Signature-256", githubtest.Sign(testSecret, body))
	return req
}

// send posts req and returns the time to the acknowledgement.
func (a *ackBench) send(b *testing.B, req *http.Request) time.Duration {
	start := time.Now()
	resp, err := a.client.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if resp.StatusCode != http.StatusAccepted {
		b.Errorf("status %d", resp.StatusCode)
	}
	return d
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkWebhookAck measures the acknowledgement of one delivery at a
// time through the server's full handler: signature, routing, and the
// SQLite transaction recording the delivery, the head and the River job.
func BenchmarkWebhookAck(b *testing.B) {
	a := newAckBench(b)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		req := a.request(i)
		b.StartTimer()
		lat = append(lat, a.send(b, req))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkWebhookAckAt200PerSecond sends deliveries at a steady 200 a
// second (each on its own goroutine, as GitHub's senders are concurrent)
// and reports the acknowledgement latency percentiles; the issue's
// target is p99 under 20 ms. Use -benchtime 2000x for ten seconds; its
// ns/op is the 5 ms pacing, not a cost.
func BenchmarkWebhookAckAt200PerSecond(b *testing.B) {
	a := newAckBench(b)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = a.request(i)
	}
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[i] = a.send(b, reqs[i])
		}()
	}
	wg.Wait()
	b.StopTimer()
	reportPercentiles(b, lat)
}
