package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueCount is the number of jobs of one kind in one state.
type QueueCount struct {
	State string
	Kind  string
	N     int64
}

// QueueCounter counts the queue's unfinished jobs by state and kind. It
// is called while /metrics is being scraped, with a context that ends
// after QueueReadTimeout.
type QueueCounter func(ctx context.Context) ([]QueueCount, error)

// QueueReadTimeout bounds one count of the queue during a scrape, so a
// slow database delays /metrics by at most this much.
const QueueReadTimeout = 2 * time.Second

// queueMinInterval is the age under which a count is reused instead of
// read again: several Prometheus servers scraping every replica should not
// each cost the shared database a query.
const queueMinInterval = 5 * time.Second

// WatchQueue registers picket_queue_jobs, read through count when
// scraped. Every state of kinds is exported from the start (0 when
// empty); other kinds once count has returned them. A later call replaces
// count (two servers sharing one Metrics in a test: the last one's queue
// is reported).
func (m *Metrics) WatchQueue(count QueueCounter, kinds ...string) {
	m.watchMu.Lock()
	defer m.watchMu.Unlock()
	if c := m.queue; c != nil {
		c.mu.Lock()
		c.count, c.last = count, nil
		for _, k := range kinds {
			c.kinds[KindLabel(k)] = true
		}
		c.mu.Unlock()
		return
	}
	known := map[string]bool{}
	for _, k := range kinds {
		known[KindLabel(k)] = true
	}
	m.queue = &queueCollector{
		kinds:  known,
		count:  count,
		errors: m.queueErrors,
		now:    time.Now,
		desc: prometheus.NewDesc("picket_queue_jobs",
			"Unfinished jobs in the queue (shared by all replicas), by state (available, scheduled, running, retryable, pending) and job kind.",
			[]string{"state", "kind"}, nil),
	}
	m.reg.MustRegister(m.queue)
}

// queueCollector reads the queue on scrape, reusing a count younger than
// queueMinInterval. A failed read exports no gauge (rather than failing
// the whole scrape, or exporting stale numbers as if current) and counts
// picket_queue_read_errors_total.
type queueCollector struct {
	count  QueueCounter
	errors prometheus.Counter
	now    func() time.Time
	desc   *prometheus.Desc

	mu    sync.Mutex
	at    time.Time
	last  []QueueCount
	kinds map[string]bool // kinds seen, exported at 0 once drained
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
	c.errors.Describe(ch)
}

// Collect implements prometheus.Collector. The error counter is collected
// here, after the read, so a scrape includes its own failure.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.errors.Collect(ch)
	if c.last == nil || c.now().Sub(c.at) >= queueMinInterval {
		ctx, cancel := context.WithTimeout(context.Background(), QueueReadTimeout)
		counts, err := c.count(ctx)
		cancel()
		if err != nil {
			c.errors.Inc()
			c.last = nil
			return
		}
		if counts == nil {
			counts = []QueueCount{}
		}
		c.last, c.at = counts, c.now()
	}
	// Every state of every kind seen so far is exported, at 0 when empty,
	// so a drained queue reads 0 rather than "no data".
	n := map[[2]string]int64{}
	for _, q := range c.last {
		kind := KindLabel(q.Kind)
		c.kinds[kind] = true
		n[[2]string{q.State, kind}] += q.N
	}
	for kind := range c.kinds {
		for _, state := range QueueStates() {
			n[[2]string{state, kind}] += 0
		}
	}
	for k, v := range n {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), k[0], k[1])
	}
}

// QueueStates are the unfinished River job states picket_queue_jobs
// reports; a QueueCounter counts these.
func QueueStates() []string {
	return []string{"available", "scheduled", "running", "retryable", "pending"}
}
