package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/app/webhook"
)

// BenchmarkRecord measures Recorder.Record, the transaction behind a
// webhook's acknowledgement (the delivery, the head and the River job),
// on each dialect with the queue's workers running, one delivery at a
// time and from 8 goroutines at once. Each delivery is a new head of one
// of 50 pull requests, so each supersedes and enqueues.
func BenchmarkRecord(b *testing.B) {
	for _, d := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", storetest.SQLiteURL}, {"postgres", storetest.PostgresURL}} {
		b.Run(d.name, func(b *testing.B) {
			for _, par := range []int{1, 8} {
				b.Run(fmt.Sprintf("concurrent=%d", par), func(b *testing.B) { benchRecord(b, d.url(b), par) })
			}
		})
	}
}

func benchRecord(b *testing.B, url string, par int) {
	rec, q := setup(b, url, &recordingPipeline{})
	ctx := context.Background()
	if err := q.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { q.Stop(ctx) })
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	next := make(chan int)
	b.ResetTimer()
	for range par {
		wg.Go(func() {
			for i := range next {
				d := webhook.Delivery{ID: fmt.Sprintf("d%d", i), Event: "pull_request", Action: fmt.Sprintf("open%d:%040x", i%50, i), ReceivedAt: time.Now()}
				start := time.Now()
				if _, err := rec.Record(ctx, d); err != nil {
					b.Error(err)
				}
				lat[i] = time.Since(start)
			}
		})
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
