package metrics

import (
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The outcome label values of picket_scan_duration_seconds.
const (
	OutcomeOK        = "ok"        // the scan was published
	OutcomeError     = "error"     // failed; River retries it, or discards it after the last attempt
	OutcomeCancelled = "cancelled" // given up for good, or the pull request closed or superseded
)

// The size label values of picket_scan_duration_seconds: files changed by
// the pull request.
const (
	Size1To10     = "1-10"
	Size11To100   = "11-100"
	Size101To1000 = "101-1000"
	SizeOver1000  = ">1000"
	SizeUnknown   = "unknown" // the job ended before the files were listed
)

// SizeClass is the size label of a pull request changing files files; a
// pull request with no files is in the smallest class.
func SizeClass(files int) string {
	switch {
	case files <= 10:
		return Size1To10
	case files <= 100:
		return Size11To100
	case files <= 1000:
		return Size101To1000
	}
	return SizeOver1000
}

// extra holds the collectors added for issue 6: queue wait, cache look-ups,
// fairness and the content budget. The queue depth gauges are a separate
// collector registered by WatchQueue.
type extra struct {
	queueWait   *prometheus.HistogramVec
	queueErrors prometheus.Counter
	lookups     *prometheus.CounterVec
	hits        *prometheus.CounterVec
	snoozes     prometheus.Counter
	slotErrors  prometheus.Counter
	budgetWait  prometheus.Histogram

	watchMu sync.Mutex
	queue   *queueCollector // set by WatchQueue
}

func newExtra() *extra {
	return &extra{
		queueWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "picket_queue_wait_seconds",
			Help:    "Time a job waited between becoming due and being started by a worker (attempted_at - scheduled_at), by job kind.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900},
		}, []string{"kind"}),
		queueErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_queue_read_errors_total",
			Help: "Scrapes whose count of queued jobs failed; picket_queue_jobs is absent from them.",
		}),
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_cache_lookups_total",
			Help: "Look-ups of the per-file result cache by the scan engine, by cache layer (memory, database).",
		}, []string{"layer"}),
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_cache_hits_total",
			Help: "Look-ups of the per-file result cache that found a result, by cache layer.",
		}, []string{"layer"}),
		snoozes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_installation_snoozes_total",
			Help: "Scan jobs put back in the queue because their installation already ran its maximum of concurrent scans across replicas.",
		}),
		slotErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_installation_slot_errors_total",
			Help: "Installation slot acquisitions that failed on a database error (the job is retried).",
		}),
		budgetWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "picket_github_budget_wait_seconds",
			Help:    "Wait of content-creating GitHub requests for their installation's content budget before being sent.",
			Buckets: []float64{0, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60},
		}),
	}
}

func (e *extra) register(reg *prometheus.Registry) {
	reg.MustRegister(e.queueWait, e.lookups, e.hits, e.snoozes, e.slotErrors, e.budgetWait)
}

// QueueWait records how long a job of kind (River's, e.g. picket_scan)
// waited to be started. Negative waits (clock skew between replicas) are
// recorded as 0.
func (m *Metrics) QueueWait(kind string, d time.Duration) {
	if d < 0 {
		d = 0
	}
	m.queueWait.WithLabelValues(KindLabel(kind)).Observe(d.Seconds())
}

// KindLabel is the kind label of a River job kind: the kind without
// Picket's "picket_" prefix ("picket_scan" → "scan"), as docs/metrics.md
// promised before the kinds were named.
func KindLabel(kind string) string { return strings.TrimPrefix(kind, "picket_") }

// CacheLookup counts one result-cache look-up in layer and whether it
// hit. It has the shape of app/pipeline's CacheObserver.
func (m *Metrics) CacheLookup(layer string, hit bool) {
	m.lookups.WithLabelValues(layer).Inc()
	if hit {
		m.hits.WithLabelValues(layer).Inc()
	} else {
		// Create the hit series at 0 so the ratio is defined from the
		// first miss.
		m.hits.WithLabelValues(layer).Add(0)
	}
}

// InstallationSnoozed counts one job put back because its installation's
// slots were all taken.
func (m *Metrics) InstallationSnoozed() { m.snoozes.Inc() }

// SlotError counts one failed slot acquisition.
func (m *Metrics) SlotError() { m.slotErrors.Inc() }

// BudgetWait implements gh.BudgetMetrics: one content-creating request
// waited d for its installation's budget.
func (m *Metrics) BudgetWait(d time.Duration) { m.budgetWait.Observe(d.Seconds()) }
