package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/metrics"
)

// scrape returns m's exposition text.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	b, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, l+"\n") {
			t.Errorf("exposition lacks %q", l)
		}
	}
}

func TestSizeClass(t *testing.T) {
	t.Parallel()
	for files, want := range map[int]string{
		0: "1-10", 1: "1-10", 10: "1-10", 11: "11-100", 100: "11-100",
		101: "101-1000", 1000: "101-1000", 1001: ">1000", 3000: ">1000",
	} {
		if got := metrics.SizeClass(files); got != want {
			t.Errorf("SizeClass(%d) = %q, want %q", files, got, want)
		}
	}
}

func TestScanAndFairnessMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.ScanFinished(2*time.Second, metrics.OutcomeOK, metrics.SizeClass(50))
	m.ScanFinished(time.Second, metrics.OutcomeCancelled, metrics.SizeUnknown)
	m.ScanDone(time.Second, errors.New("boom"))
	m.QueueWait("picket_scan", 300*time.Millisecond) // River's kind, reported without picket_
	m.QueueWait("picket_scan", -time.Second)         // skewed clocks
	m.CacheLookup("memory", true)
	m.CacheLookup("memory", false)
	m.CacheLookup("memory", true)
	m.CacheLookup("database", false)
	m.InstallationSnoozed()
	m.InstallationSnoozed()
	m.SlotError()
	m.BudgetWait(0)
	m.BudgetWait(1500 * time.Millisecond)
	wantLines(t, scrape(t, m),
		`picket_scan_duration_seconds_count{outcome="ok",size="11-100"} 1`,
		`picket_scan_duration_seconds_sum{outcome="ok",size="11-100"} 2`,
		`picket_scan_duration_seconds_count{outcome="cancelled",size="unknown"} 1`,
		`picket_scan_duration_seconds_count{outcome="error",size="unknown"} 1`,
		`picket_queue_wait_seconds_count{kind="scan"} 2`,
		`picket_queue_wait_seconds_sum{kind="scan"} 0.3`,
		`picket_queue_wait_seconds_bucket{kind="scan",le="0.01"} 1`,
		`picket_cache_lookups_total{layer="memory"} 3`,
		`picket_cache_hits_total{layer="memory"} 2`,
		`picket_cache_lookups_total{layer="database"} 1`,
		`picket_cache_hits_total{layer="database"} 0`,
		`picket_installation_snoozes_total 2`,
		`picket_installation_slot_errors_total 1`,
		`picket_github_budget_wait_seconds_count 2`,
		`picket_github_budget_wait_seconds_sum 1.5`,
		`picket_github_budget_wait_seconds_bucket{le="0"} 1`,
	)
}

func TestQueueGauges(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	var calls int
	counts := []metrics.QueueCount{{State: "available", Kind: "picket_scan", N: 7}, {State: "running", Kind: "picket_scan", N: 2}}
	m.WatchQueue(func(ctx context.Context) ([]metrics.QueueCount, error) {
		calls++
		if _, ok := ctx.Deadline(); !ok {
			t.Error("queue counted without a deadline")
		}
		return counts, nil
	}, "idle")
	text := scrape(t, m)
	wantLines(t, text,
		`picket_queue_jobs{kind="idle",state="available"} 0`,
		`picket_queue_jobs{kind="idle",state="running"} 0`,
		`picket_queue_jobs{kind="scan",state="available"} 7`,
		`picket_queue_jobs{kind="scan",state="running"} 2`,
		`picket_queue_jobs{kind="scan",state="scheduled"} 0`,
		`picket_queue_jobs{kind="scan",state="retryable"} 0`,
		`picket_queue_jobs{kind="scan",state="pending"} 0`,
		`picket_queue_read_errors_total 0`,
	)
	// A second scrape within the minimum interval reuses the count.
	counts = nil
	wantLines(t, scrape(t, m), `picket_queue_jobs{kind="scan",state="available"} 7`)
	if calls != 1 {
		t.Errorf("queue counted %d times for two quick scrapes, want 1", calls)
	}
}

func TestQueueReadFailureKeepsScrapeUp(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.WatchQueue(func(context.Context) ([]metrics.QueueCount, error) {
		return nil, errors.New("database unreachable")
	})
	m.Webhook("ping", "accepted")
	text := scrape(t, m)
	wantLines(t, text, `picket_queue_read_errors_total 1`, `picket_webhooks_total{event="ping",outcome="accepted"} 1`)
	if strings.Contains(text, "picket_queue_jobs{") {
		t.Error("a failed count still exports queue gauges")
	}
}

func TestWatchQueueTwiceReplaces(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.WatchQueue(func(context.Context) ([]metrics.QueueCount, error) {
		return []metrics.QueueCount{{State: "available", Kind: "a", N: 1}}, nil
	})
	m.WatchQueue(func(context.Context) ([]metrics.QueueCount, error) {
		return []metrics.QueueCount{{State: "available", Kind: "b", N: 2}}, nil
	})
	text := scrape(t, m)
	wantLines(t, text, `picket_queue_jobs{kind="b",state="available"} 2`)
	if strings.Contains(text, `kind="a"`) {
		t.Error("the replaced counter is still read")
	}
}
