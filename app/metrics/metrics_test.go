package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/picketsec/picket/app/metrics"
)

func TestExposition(t *testing.T) {
	m := metrics.New()
	m.Webhook("pull_request", "accepted")
	m.Webhook("pull_request", "accepted")
	m.Webhook("x-forged-event-name", "bad_signature")
	m.Request("check-runs", "201")
	m.RateRemaining(7, "core", 4999)
	m.ScanDone(300*time.Millisecond, nil)
	m.ScanDone(time.Second, errors.New("boom"))
	m.Findings("secret", "high", 3)
	m.Findings("sast", "low", 0)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`picket_webhooks_total{event="pull_request",outcome="accepted"} 2`,
		`picket_webhooks_total{event="other",outcome="bad_signature"} 1`,
		`picket_github_requests_total{endpoint="check-runs",status="201"} 1`,
		`picket_github_rate_limit_remaining{installation="7",resource="core"} 4999`,
		`picket_scan_duration_seconds_count{outcome="ok",size="unknown"} 1`,
		`picket_scan_duration_seconds_count{outcome="error",size="unknown"} 1`,
		`picket_findings_total{kind="secret",severity="high"} 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
	for _, absent := range []string{"x-forged-event-name", `kind="sast"`} {
		if strings.Contains(text, absent) {
			t.Errorf("exposition contains %q", absent)
		}
	}
}

func TestPrivateRegistries(t *testing.T) {
	a, b := metrics.New(), metrics.New() // would panic on a shared registry
	a.Webhook("ping", "accepted")
	if n, err := testutil.GatherAndCount(b.Registry(), "picket_webhooks_total"); err != nil || n != 0 {
		t.Errorf("second registry sees %d webhook series (err %v), want 0", n, err)
	}
	if n, err := testutil.GatherAndCount(a.Registry(), "picket_webhooks_total"); err != nil || n != 1 {
		t.Errorf("first registry has %d webhook series (err %v), want 1", n, err)
	}
}
