package reconcile

import "time"

// Observer is told what each run did, so that an operator can alert on a
// reconciler that keeps finding lost webhooks or has stopped running.
// *metrics.Metrics (app/metrics) implements it. Its methods are called
// once per run, after the run, and must not block.
type Observer interface {
	// ReconcileRun records one run of kind (KindDeliveries, KindSweep)
	// that ended at end with err (nil: it succeeded).
	ReconcileRun(kind string, err error, end time.Time)
	// Redeliveries adds n failed deliveries one run of the Redeliverer
	// ended with result (ResultRequested, ResultRefused, ResultGivenUp,
	// ResultRecorded). It is not called for n = 0.
	Redeliveries(result string, n int)
	// SweepEnqueued adds n scans one sweep enqueued.
	SweepEnqueued(n int)
}

// The kind values of Observer.ReconcileRun.
const (
	KindDeliveries = "deliveries" // a run of the Redeliverer
	KindSweep      = "sweep"      // a run of the Sweeper
)

// The result values of Observer.Redeliveries: what a run did with a
// delivery whose newest attempt failed. A delivery whose redelivery is
// pending is not reported: it is seen again by every run until it
// arrives.
const (
	ResultRequested = "requested" // GitHub was asked to redeliver it (RedeliverResult.Redelivered)
	ResultRefused   = "refused"   // GitHub refused to (RedeliverResult.Refused)
	ResultGivenUp   = "given_up"  // failed after MaxAttempts redeliveries (RedeliverResult.GivenUp)
	ResultRecorded  = "recorded"  // recorded by the app all the same (RedeliverResult.Recorded)
)

// observeDeliveries reports one Redeliverer run to o (nil: none).
func observeDeliveries(o Observer, res RedeliverResult, err error, end time.Time) {
	if o == nil {
		return
	}
	for _, r := range []struct {
		result string
		n      int
	}{
		{ResultRequested, res.Redelivered}, {ResultRefused, res.Refused},
		{ResultGivenUp, res.GivenUp}, {ResultRecorded, res.Recorded},
	} {
		if r.n > 0 {
			o.Redeliveries(r.result, r.n)
		}
	}
	o.ReconcileRun(KindDeliveries, err, end)
}

// observeSweep reports one Sweeper run to o (nil: none). Scans enqueued
// before an error are reported too: they are in the queue.
func observeSweep(o Observer, res SweepResult, err error, end time.Time) {
	if o == nil {
		return
	}
	if res.Enqueued > 0 {
		o.SweepEnqueued(res.Enqueued)
	}
	o.ReconcileRun(KindSweep, err, end)
}
