package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The outcome label values of picket_reconcile_runs_total and
// picket_retention_runs_total (OutcomeOK is scan.go's "ok").
const (
	RunOK    = OutcomeOK
	RunError = OutcomeError
)

// The kind label values of the reconciler's metrics: its two jobs.
const (
	ReconcileDeliveries = "deliveries" // the redelivery of missed webhook deliveries
	ReconcileSweep      = "sweep"      // the sweep of open pull requests
)

// The result label values of picket_reconcile_redeliveries_total, which
// app/reconcile passes.
const (
	RedeliveryRequested = "requested" // GitHub was asked to redeliver (202)
	RedeliveryRefused   = "refused"   // GitHub refused the redelivery (4xx: gone from its log)
	RedeliveryGivenUp   = "given_up"  // still failing after the maximum of redeliveries
	RedeliveryRecorded  = "recorded"  // failed on GitHub's side but recorded by Picket: left alone
)

// The table label values of picket_retention_pruned_rows_total.
const (
	TableDeliveries = "deliveries"
	TablePRHeads    = "pr_heads"
	TableComments   = "comments"
	TableCheckRuns  = "check_runs"
)

// ops holds the collectors of the background jobs that keep Picket
// healthy without a webhook: the reconciler and the retention.
type ops struct {
	reconcileRuns  *prometheus.CounterVec
	reconcileLast  *prometheus.GaugeVec
	redeliveries   *prometheus.CounterVec
	sweepEnqueued  prometheus.Counter
	retentionRuns  *prometheus.CounterVec
	retentionLast  *prometheus.GaugeVec
	retentionPrune *prometheus.CounterVec
}

func newOps() *ops {
	o := &ops{
		reconcileRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_reconcile_runs_total",
			Help: "Runs of the reconciler's jobs, by kind (deliveries, sweep) and outcome (ok, error).",
		}, []string{"kind", "outcome"}),
		reconcileLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "picket_reconcile_last_success_timestamp_seconds",
			Help: "Unix time at which a run of the reconciler's job of this kind last succeeded in this process; absent until one has.",
		}, []string{"kind"}),
		redeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_reconcile_redeliveries_total",
			Help: "Failed webhook deliveries the redeliverer decided about, by result (requested, refused, given_up, recorded).",
		}, []string{"result"}),
		sweepEnqueued: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_reconcile_sweep_enqueued_total",
			Help: "Scans the sweep enqueued for open pull request heads with no completed Picket check run.",
		}),
		retentionRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_retention_runs_total",
			Help: "Runs of the retention job, by outcome (ok, error).",
		}, []string{"outcome"}),
		retentionLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "picket_retention_last_success_timestamp_seconds",
			Help: "Unix time at which a retention run last succeeded in this process; absent until one has.",
		}, nil),
		retentionPrune: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_retention_pruned_rows_total",
			Help: "Rows deleted by the retention job, by table (deliveries, pr_heads, comments, check_runs).",
		}, []string{"table"}),
	}
	// Every counter series starts at 0, so that increase() sees the first
	// run, error or redelivery of a process (a series born at 1 shows no
	// increase) and alerts can tell "none" from "no data".
	for _, k := range []string{ReconcileDeliveries, ReconcileSweep} {
		for _, out := range []string{RunOK, RunError} {
			o.reconcileRuns.WithLabelValues(k, out)
		}
	}
	for _, r := range []string{RedeliveryRequested, RedeliveryRefused, RedeliveryGivenUp, RedeliveryRecorded} {
		o.redeliveries.WithLabelValues(r)
	}
	for _, out := range []string{RunOK, RunError} {
		o.retentionRuns.WithLabelValues(out)
	}
	for _, tb := range []string{TableDeliveries, TablePRHeads, TableComments, TableCheckRuns} {
		o.retentionPrune.WithLabelValues(tb)
	}
	return o
}

func (o *ops) register(reg *prometheus.Registry) {
	reg.MustRegister(o.reconcileRuns, o.reconcileLast, o.redeliveries, o.sweepEnqueued,
		o.retentionRuns, o.retentionLast, o.retentionPrune)
}

// runOutcome is the outcome label of a run that ended with err.
func runOutcome(err error) string {
	if err != nil {
		return RunError
	}
	return RunOK
}

// ReconcileRun records one run of the reconciler's job kind
// (ReconcileDeliveries, ReconcileSweep) that ended at end with err; a
// run without error also sets the kind's last-success time. It has the
// shape of app/reconcile's Observer.
func (m *Metrics) ReconcileRun(kind string, err error, end time.Time) {
	out := runOutcome(err)
	m.reconcileRuns.WithLabelValues(kind, out).Inc()
	if out == RunOK {
		m.reconcileLast.WithLabelValues(kind).Set(float64(end.UnixNano()) / 1e9)
	}
}

// Redeliveries adds n failed webhook deliveries that one run of the
// redeliverer ended with result (RedeliveryRequested, RedeliveryRefused,
// RedeliveryGivenUp, RedeliveryRecorded).
func (m *Metrics) Redeliveries(result string, n int) {
	if n <= 0 {
		return
	}
	m.redeliveries.WithLabelValues(result).Add(float64(n))
}

// SweepEnqueued adds n scans enqueued by one sweep.
func (m *Metrics) SweepEnqueued(n int) {
	if n > 0 {
		m.sweepEnqueued.Add(float64(n))
	}
}

// RetentionRun records one retention run that ended at end with err
// (whose pruned rows Pruned counts); a run without error also sets the
// last-success time.
func (m *Metrics) RetentionRun(err error, end time.Time) {
	out := runOutcome(err)
	m.retentionRuns.WithLabelValues(out).Inc()
	if out == RunOK {
		m.retentionLast.WithLabelValues().Set(float64(end.UnixNano()) / 1e9)
	}
}

// Pruned adds n rows the retention deleted from table (TableDeliveries,
// TablePRHeads, TableComments, TableCheckRuns). A run that failed half
// way reports what it deleted before the failure.
func (m *Metrics) Pruned(table string, n int64) {
	if n > 0 {
		m.retentionPrune.WithLabelValues(table).Add(float64(n))
	}
}
