package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store/storetest"
)

// EnvBench turns the process benchmarks on. They start several picket
// processes and run for minutes, so a plain `go test -bench .` over the
// whole module (scripts/bench.sh's first lines) skips them;
// scripts/bench-replicas.sh sets it.
const EnvBench = "PICKET_E2E_BENCH"

func needBench(b *testing.B) {
	if os.Getenv(EnvBench) != "1" {
		b.Skipf("process benchmark: run scripts/bench-replicas.sh (or set %s=1 with -benchtime 1x)", EnvBench)
	}
}

// databases are the stores a benchmark runs on: SQLite always, and
// PostgreSQL when storetest can make a database.
func databases(b *testing.B) map[string]func() string {
	dbs := map[string]func() string{"sqlite": func() string { return "sqlite:" + filepath.Join(b.TempDir(), "picket.db") }}
	if os.Getenv(storetest.EnvPostgresURL) != "" || os.Getenv(storetest.EnvRequirePostgres) == "1" {
		dbs["postgres"] = func() string { return storetest.PostgresURL(b) }
	}
	return dbs
}

// BenchmarkWebhookAcceptance offers signed pull_request deliveries to one
// process at fixed rates (open loop: each delivery leaves at its
// scheduled time whatever the answers before it did) for
// PICKET_E2E_LOAD_SECONDS (default 10) seconds per rate, from this process over loopback, and reports the rate
// answered 2xx and the latency percentiles measured from each
// delivery's scheduled time. The deliveries name 100 real pull requests
// with fresh GUIDs, so each is recorded and its job insert is skipped as
// a duplicate of the pending one, as a burst of events on busy pull
// requests would be.
func BenchmarkWebhookAcceptance(b *testing.B) {
	needBench(b)
	for _, dbName := range []string{"sqlite", "postgres"} {
		mk, ok := databases(b)[dbName]
		if !ok {
			continue
		}
		for _, rate := range []int{50, 100, 200, 300, 400} {
			b.Run(fmt.Sprintf("db=%s/rate=%d", dbName, rate), func(b *testing.B) {
				w := newWorld(b, 10, 10, githubtest.WithSecondaryLimit(0))
				r := startReplica(b, "picket", w.env(newGateway(b, "github", w.fake.URL()), mk(), nil))
				bodies := make([][]byte, len(w.prs))
				for i, p := range w.prs {
					w.show(p)
					bodies[i] = w.payload(p, "opened")
				}
				b.ResetTimer()
				var res loadResult
				for range b.N {
					res = offer(r.url+"/webhook", bodies, rate, loadDuration(b))
				}
				b.StopTimer()
				b.ReportMetric(res.acceptedPerSec, "accepted/s")
				b.ReportMetric(res.p50.Seconds()*1000, "p50-ms")
				b.ReportMetric(res.p99.Seconds()*1000, "p99-ms")
				b.ReportMetric(float64(res.failed), "failed")
				rss, err := r.PeakRSS()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(rss)/(1<<20), "peak-MB")
			})
		}
	}
}

// loadDuration is how long each offered rate lasts.
func loadDuration(b *testing.B) time.Duration {
	v := os.Getenv("PICKET_E2E_LOAD_SECONDS")
	if v == "" {
		return 10 * time.Second
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("PICKET_E2E_LOAD_SECONDS=%q: want a whole number of seconds", v)
	}
	return time.Duration(n) * time.Second
}

type loadResult struct {
	acceptedPerSec float64
	p50, p99       time.Duration
	failed         int
}

// offer sends bodies round-robin to url at rate per second for d.
func offer(url string, bodies [][]byte, rate int, d time.Duration) loadResult {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 512}}
	n := int(d.Seconds() * float64(rate))
	lat := make([]time.Duration, n)
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := bodies[i%len(bodies)]
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				failed.Add(1)
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "GitHub-Hookshot/e2e-load")
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", githubtest.NewGUID())
			req.Header.Set("X-Hub-Signature-256", githubtest.Sign(hookToken, body))
			res, err := client.Do(req)
			if err != nil {
				failed.Add(1)
				lat[i] = time.Since(at)
				return
			}
			res.Body.Close()
			lat[i] = time.Since(at)
			if res.StatusCode/100 != 2 {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	return loadResult{
		acceptedPerSec: float64(n-int(failed.Load())) / elapsed.Seconds(),
		p50:            lat[n/2], p99: lat[n*99/100], failed: int(failed.Load()),
	}
}

// BenchmarkScans measures scans per second: 100 pull requests over 10
// installations, each a file with or without a live token, opened at
// once (eight senders, deliveries spread round-robin over the
// processes), timed from the first delivery until every pull request's
// check run has completed on the fake. It reports scans/s and the peak
// resident memory (VmHWM) of the largest process, which has had up to
// 100 pull requests in flight.
func BenchmarkScans(b *testing.B) {
	needBench(b)
	dbs := databases(b)
	for _, c := range []struct {
		db       string
		replicas int
	}{{"sqlite", 1}, {"postgres", 1}, {"postgres", 3}} {
		mk, ok := dbs[c.db]
		if !ok {
			continue
		}
		b.Run(fmt.Sprintf("db=%s/replicas=%d", c.db, c.replicas), func(b *testing.B) {
			var scansPerSec float64
			var peak int64
			for range b.N {
				b.StopTimer()
				w := newWorld(b, 10, 10)
				db := mk()
				reps := make([]*replica, c.replicas)
				for i := range reps {
					reps[i] = startReplica(b, fmt.Sprintf("picket-%d", i), w.env(newGateway(b, fmt.Sprintf("github-%d", i), w.fake.URL()), db, nil))
				}
				bodies := make([][]byte, len(w.prs))
				for i, p := range w.prs {
					w.show(p)
					bodies[i] = w.payload(p, "opened")
				}
				b.StartTimer()
				start := time.Now()
				sendAll(b, reps, bodies)
				waitExplain(b, 5*time.Minute, "every check run completed", w.settled, func() string { return w.missing(reps...) })
				scansPerSec = float64(len(w.prs)) / time.Since(start).Seconds()
				b.StopTimer()
				for _, r := range reps {
					rss, err := r.PeakRSS()
					if err != nil {
						b.Fatal(err)
					}
					peak = max(peak, rss)
				}
				if ps := w.problems(w.tokens); len(ps) > 0 {
					b.Fatalf("%d problems, e.g. %s", len(ps), ps[0])
				}
			}
			b.ReportMetric(scansPerSec, "scans/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		})
	}
}

// sendAll delivers every body once, eight at a time, round-robin over
// the processes, and fails on any answer but 2xx.
func sendAll(b *testing.B, reps []*replica, bodies [][]byte) {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(bodies))
	sem := make(chan struct{}, 8)
	for i, body := range bodies {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res, err := githubtest.Deliver(context.Background(), reps[i%len(reps)].url+"/webhook", hookToken, "pull_request", body)
			if err == nil && res.Status/100 != 2 {
				err = fmt.Errorf("delivery answered %d: %s", res.Status, res.Body)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}
