package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/picketsec/picket/app/gh"
)

// knownEvents are the X-GitHub-Event values kept as label values; others
// are counted as "other".
var knownEvents = map[string]bool{
	"pull_request": true, "issue_comment": true, "check_run": true, "check_suite": true,
	"installation": true, "installation_repositories": true, "ping": true,
}

// Metrics is the set of Picket's collectors on a private registry. It is
// safe for concurrent use.
type Metrics struct {
	reg           *prometheus.Registry
	webhooks      *prometheus.CounterVec
	ghRequests    *prometheus.CounterVec
	rateRemaining *prometheus.GaugeVec
	scanDuration  *prometheus.HistogramVec
	findings      *prometheus.CounterVec
	*extra
	*ops
}

var (
	_ gh.Metrics       = (*Metrics)(nil)
	_ gh.BudgetMetrics = (*Metrics)(nil)
)

// New registers Picket's collectors, and the Go runtime and process
// collectors, on a new private registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_webhooks_total",
			Help: "Webhook deliveries received, by event and outcome (accepted, duplicate, ignored, bad_signature, unconfigured…).",
		}, []string{"event", "outcome"}),
		ghRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_github_requests_total",
			Help: "GitHub API requests sent on the wire (each retry counts), by endpoint class and status code or network_error.",
		}, []string{"endpoint", "status"}),
		rateRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "picket_github_rate_limit_remaining",
			Help: "X-RateLimit-Remaining of the latest GitHub response, by installation (0 is the app itself) and resource.",
		}, []string{"installation", "resource"}),
		scanDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "picket_scan_duration_seconds",
			Help:    "Time of one scan job attempt (fetch, scan, publish), by outcome (ok, error, cancelled) and size class of the pull request in files changed (1-10, 11-100, 101-1000, >1000, unknown).",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"outcome", "size"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_findings_total",
			Help: "Findings reported by scans, by kind (secret, sast, build…) and severity.",
		}, []string{"kind", "severity"}),
	}
	m.extra = newExtra()
	m.reg.MustRegister(m.webhooks, m.ghRequests, m.rateRemaining, m.scanDuration, m.findings,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.extra.register(m.reg)
	m.ops = newOps()
	m.ops.register(m.reg)
	return m
}

// Registry returns the private registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Webhook counts one delivery; it has the shape of webhook.WithObserver.
func (m *Metrics) Webhook(event, outcome string) {
	if !knownEvents[event] {
		event = "other"
	}
	m.webhooks.WithLabelValues(event, outcome).Inc()
}

// Request implements gh.Metrics.
func (m *Metrics) Request(endpointClass, status string) {
	m.ghRequests.WithLabelValues(endpointClass, status).Inc()
}

// RateRemaining implements gh.Metrics.
func (m *Metrics) RateRemaining(installation int64, resource string, remaining int) {
	m.rateRemaining.WithLabelValues(strconv.FormatInt(installation, 10), resource).Set(float64(remaining))
}

// ScanDone records the duration of one scan job of unknown size; err
// decides the outcome label (OutcomeOK or OutcomeError). ScanFinished
// says more.
func (m *Metrics) ScanDone(d time.Duration, err error) {
	outcome := OutcomeOK
	if err != nil {
		outcome = OutcomeError
	}
	m.ScanFinished(d, outcome, SizeUnknown)
}

// ScanFinished records the duration of one scan job attempt with its
// outcome (OutcomeOK, OutcomeError, OutcomeCancelled) and size class
// (SizeClass). Other values are recorded as they are: callers pass only
// these constants.
func (m *Metrics) ScanFinished(d time.Duration, outcome, size string) {
	m.scanDuration.WithLabelValues(outcome, size).Observe(d.Seconds())
}

// Findings adds n findings of a kind and severity.
func (m *Metrics) Findings(kind, severity string, n int) {
	if n <= 0 {
		return
	}
	m.findings.WithLabelValues(kind, severity).Add(float64(n))
}
