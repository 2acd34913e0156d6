package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/sourcegraph/conc/pool"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/diff/fetch"
)

// ackBench is the production server on a loopback listener, its queue's
// workers running (with a pipeline that does nothing, so the jobs cost
// only River's own fetch and completion writes), and a supply of signed
// pull_request deliveries, each a new head so each enqueues a job.
type ackBench struct {
	url    string
	client *http.Client
	hooks  *githubtest.Webhooks
}

// newAckBench starts the server with a pipeline whose scans take scan
// (0: return at once, so the queue's fetch and completion writes run at
// the full 200 a second, the worst case for SQLite).
func newAckBench(b *testing.B, scan time.Duration) *ackBench {
	cfg := configured(b)
	var p jobs.Pipeline = &fakePipeline{}
	if scan > 0 {
		p = sleepPipeline(scan)
	}
	// The production poll interval: WithPollInterval is not set.
	s, err := New(context.Background(), cfg, nil, WithPipeline(p))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Serve: %v", err)
		}
	})
	url := "http://" + ln.Addr().String() + "/webhook"
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	b.Cleanup(tr.CloseIdleConnections)
	return &ackBench{url: url, client: &http.Client{Transport: tr},
		hooks: githubtest.LoadWebhooks(b, "")}
}

// sleepPipeline is a scan that takes its duration (or until cancelled).
type sleepPipeline time.Duration

func (d sleepPipeline) Scan(ctx context.Context, _ jobs.ScanArgs) error {
	select {
	case <-time.After(time.Duration(d)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// send posts req and returns the time from since to the acknowledgement.
func (a *ackBench) send(b *testing.B, req *http.Request, since time.Time) time.Duration {
	resp, err := a.client.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(since)
	if resp.StatusCode != http.StatusAccepted {
		b.Errorf("status %d", resp.StatusCode)
	}
	return d
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 { return ms(lat[int(p*float64(len(lat)-1))]) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.90), "p90-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// reportLoad reports the machine's one-minute load average, which every
// latency here depends on (the machine is shared).
func reportLoad(b *testing.B) {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return
	}
	var l float64
	if _, err := fmt.Sscan(strings.Fields(string(raw))[0], &l); err == nil {
		b.ReportMetric(l, "load1")
	}
}

// BenchmarkWebhookAck measures the acknowledgement of one delivery at a
// time through the server's full handler: signature, routing, and the
// SQLite transaction recording the delivery, the head and the River job.
func BenchmarkWebhookAck(b *testing.B) {
	a := newAckBench(b, 0)
	lat := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		req := a.request(i)
		b.StartTimer()
		lat = append(lat, a.send(b, req, time.Now()))
	}
	reportPercentiles(b, lat)
	reportLoad(b)
}

// BenchmarkWebhookAckAt200PerSecond is an open-loop load: delivery i is
// due at start + i×5 ms whatever happened to the earlier ones, each on
// its own goroutine (GitHub's senders do not wait for each other), and
// its latency is counted from when it was due, so a stall shows as
// queueing instead of being hidden by a generator that slowed down with
// the server. The target is p99 under 20 ms. -benchtime 2000x
// is ten seconds; ns/op is then the 5 ms pacing, not a cost. It also
// reports the rate actually achieved and the load average.
//
// Two worker set-ups: scans that return at once (the queue then fetches
// and completes 200 jobs a second, far more SQLite writes than
// production sees), and scans of 300 ms with the default two workers,
// as in production, where most jobs wait in the queue.
func BenchmarkWebhookAckAt200PerSecond(b *testing.B) {
	for _, scan := range []time.Duration{0, 300 * time.Millisecond} {
		b.Run(fmt.Sprintf("scan=%v", scan), func(b *testing.B) { ackAtRate(b, newAckBench(b, scan), 5*time.Millisecond) })
	}
}

func ackAtRate(b *testing.B, a *ackBench, every time.Duration) {
	n := b.N
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = a.request(i)
	}
	// Warm the connection pool and the database outside the measurement.
	var warm sync.WaitGroup
	for i := range 20 {
		warm.Add(1)
		go func() { defer warm.Done(); a.send(b, a.request(n+i), time.Now()) }()
	}
	warm.Wait()
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * every)
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[i] = a.send(b, reqs[i], due)
		}()
	}
	sent := time.Since(start)
	wg.Wait()
	b.StopTimer()
	reportPercentiles(b, lat)
	b.ReportMetric(float64(n)/sent.Seconds(), "sent/s")
	// CPU time of the whole process (server, its queue's workers and the
	// generator) per delivery: unlike the latencies, it hardly depends on
	// the machine's load.
	b.ReportMetric(ms(cpuTime()-cpu0)/float64(n), "cpu-ms/delivery")
	reportLoad(b)
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pyFile is a plausible Python module of about 30 lines, different for
// every (i, v), so a new version is a new blob.
func pyFile(i, v int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\"\"\"Module %d, revision %d.\"\"\"\nimport os\n\n", i, v)
	for f := range 6 {
		fmt.Fprintf(&b, "def handler_%d_%d(request):\n    name = request.get(\"name\", \"\")\n    if not name:\n        return {\"status\": 400}\n    return {\"status\": 200, \"value\": %d}\n\n", f, v, i*f+v)
	}
	return b.String()
}

// prFiles are n modules at revision v, the first carrying a new token
// (so every scan has a finding to post in its review).
func prFiles(n, v int, r *rand.Rand) map[string]string {
	files := make(map[string]string, n)
	for i := range n {
		files[fmt.Sprintf("svc/mod%04d.py", i)] = pyFile(i, v)
	}
	files["svc/mod0000.py"] += fmt.Sprintf("API_TOKEN = %q\n", githubtest.ClassicPAT(r))
	return files
}

// e2eWorld is a world for the benchmarks: the production poll interval,
// no secondary rate limit (the runs create far more than 80 comments a
// minute), base files at revision 0.
func e2eWorld(b *testing.B, n int) *world {
	base := map[string]string{}
	for i := range n {
		base[fmt.Sprintf("svc/mod%04d.py", i)] = pyFile(i, 0)
	}
	return newWorld(b, base, worldOptions{fake: []githubtest.Option{githubtest.WithSecondaryLimit(0)}})
}

// deliverAndWait sends a pull_request delivery for pr at head and
// returns the time from sending it to the worker's "scan job done" (the
// check run completed and the review posted).
func (w *world) deliverAndWait(action string, pr int, head string) time.Duration {
	w.t.Helper()
	body := w.payload("pull_request", action, githubtest.WebhookPatch{PR: pr, HeadSHA: head, BaseSHA: w.base}, nil)
	start := time.Now()
	w.deliver("pull_request", body)
	w.waitJob(head)
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

// BenchmarkEndToEnd is webhook received → check run completed with the
// review posted, through the production server on loopback: signed
// delivery, River on SQLite at its default poll interval, pull-request
// files listed from the fake GitHub (100 a page), the changed blobs
// fetched from the real git server, all scanners, check run, annotations
// and review on the fake. Every iteration pushes a new revision of every
// file, so nothing is cached. Targets (issue 4): median under 500 ms for
// 20 files, under 5 s for 1,000. Run with -benchtime 10x; it reports the
// median and p90 over the iterations.
func BenchmarkEndToEnd(b *testing.B) {
	for _, n := range []int{20, 1000} {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			w := e2eWorld(b, n)
			r := rand.New(rand.NewPCG(uint64(n), 2))
			var lat []time.Duration
			var bytes int64
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				pr := i + 1
				head := w.push(pr, "", prFiles(n, i+1, r))
				w.gitSrv.Reset()
				w.settle()
				b.StartTimer()
				lat = append(lat, w.deliverAndWait("opened", pr, head))
				bytes += w.gitSrv.BytesSent()
			}
			b.ReportMetric(ms(median(lat)), "median-ms")
			b.ReportMetric(ms(quantile(lat, 0.9)), "p90-ms")
			b.ReportMetric(float64(bytes)/float64(len(lat)), "fetched-B/op")
			reportLoad(b)
		})
	}
}

// BenchmarkIncrementalPush pairs, in every iteration, the first scan of
// a new 500-file pull request with a push that changes 1 of its files,
// both through the whole server path, and reports the medians of both
// times and of the bytes the git server sent, with the ratios the issue
// asks for (target: under 10%). The pipeline's blob cache makes the
// unchanged 499 files neither fetched nor scanned again.
//
// It also times, after each push, the two requests no push can avoid,
// alone, against the same servers: the git fetch of the one changed blob
// (one POST: the protocol v2 advertisement is remembered) and the
// listing of the pull request's 500 files (five pages at once, as the
// pipeline reads them). Their sum, floor-ms, is the
// part of the push spent in the test harness's git server (a CGI process
// and the two git processes it starts) and fake GitHub; rest-% is the
// push without it, as a share of the first scan.
func BenchmarkIncrementalPush(b *testing.B) {
	const n = 500
	w := e2eWorld(b, n)
	r := rand.New(rand.NewPCG(n, 3))
	var first, inc, floor []time.Duration
	var firstB, incB []int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		pr := i + 1
		files := prFiles(n, 1000+i, r)
		head := w.push(pr, "", files)
		w.gitSrv.Reset()
		w.settle()
		b.StartTimer()
		first = append(first, w.deliverAndWait("opened", pr, head))
		b.StopTimer()
		firstB = append(firstB, w.gitSrv.BytesSent())
		changed := map[string]string{"svc/mod0250.py": files["svc/mod0250.py"] + "\nRETRIES = 3\n"}
		head = w.push(pr, "", changed)
		w.gitSrv.Reset()
		w.settle()
		b.StartTimer()
		inc = append(inc, w.deliverAndWait("synchronize", pr, head))
		b.StopTimer()
		incB = append(incB, w.gitSrv.BytesSent())
		floor = append(floor, w.pushFloor(pr, n, w.git.BlobID(head, "svc/mod0250.py")))
		b.StartTimer()
	}
	medB := func(v []int64) float64 { s := slices.Clone(v); slices.Sort(s); return float64(s[len(s)/2]) }
	b.ReportMetric(ms(median(first)), "first-median-ms")
	b.ReportMetric(ms(median(inc)), "push-median-ms")
	b.ReportMetric(100*float64(median(inc))/float64(median(first)), "time-%-of-first")
	b.ReportMetric(ms(median(floor)), "floor-ms")
	b.ReportMetric(100*float64(median(inc)-median(floor))/float64(median(first)), "rest-%-of-first")
	b.ReportMetric(medB(firstB), "first-B")
	b.ReportMetric(medB(incB), "push-B")
	b.ReportMetric(100*medB(incB)/medB(firstB), "bytes-%-of-first")
	reportLoad(b)
}

// pushFloor times the git fetch of blob (one request, with a warm
// advertisement cache) and the listing of pull request pr's n files (all
// pages at once, as the pipeline reads them when the event says how many
// files there are), one after the other.
func (w *world) pushFloor(pr, n int, blob string) time.Duration {
	w.t.Helper()
	ctx := context.Background()
	cache := fetch.NewAdvertCache()
	f, err := fetch.New(w.gitSrv.URL, fetch.WithAdvertCache(cache))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, _, err := f.Fetch(ctx, []string{blob}); err != nil { // warms the cache
		w.t.Fatal(err)
	}
	c, err := w.srv.factory.Installation(ctx, e2eInst)
	if err != nil {
		w.t.Fatal(err)
	}
	start := time.Now()
	if _, st, err := f.Fetch(ctx, []string{blob}); err != nil || st.Requests != 1 {
		w.t.Fatalf("floor fetch: %d requests, %v", st.Requests, err)
	}
	g := pool.New().WithErrors()
	for page := 1; page <= (n+99)/100; page++ {
		g.Go(func() error {
			_, _, err := c.PullRequests.ListFiles(ctx, e2eOwner, e2eName, pr, &github.ListOptions{PerPage: 100, Page: page})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		w.t.Fatal(err)
	}
	return time.Since(start)
}
