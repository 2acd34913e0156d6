package server

import (
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/reconcile"
)

var _ reconcile.Observer = (*metrics.Metrics)(nil)

// reconcileWorkers registers the reconciler's workers (app/reconcile):
// the redelivery of missed webhook deliveries and the sweep of open pull
// requests. They are registered even when PICKET_RECONCILE_INTERVAL is 0,
// so that jobs a previous configuration queued still run. The caller
// sets the sweep's Queue once the queue exists.
func (s *Server) reconcileWorkers(workers *river.Workers, f *gh.ClientFactory) *reconcile.Sweeper {
	log := s.log.With("component", "reconcile")
	r := &reconcile.Redeliverer{Clients: f, Store: s.st, Log: log, Observer: s.metrics}
	sw := &reconcile.Sweeper{Clients: f, Store: s.st, Log: log, Drafts: s.cfg.ReviewDrafts, Observer: s.metrics}
	reconcile.Register(workers, r, sw)
	return sw
}

// reconcileJobs are the reconciler's periodic jobs for the queue, whose
// leader alone enqueues them: with many replicas, one reconciles. None
// when PICKET_RECONCILE_INTERVAL is 0.
func (s *Server) reconcileJobs() []*river.PeriodicJob {
	pj := reconcile.PeriodicJobs(s.cfg.ReconcileInterval, 0)
	if len(pj) == 0 {
		s.log.Info("reconciler disabled: missed webhook deliveries are not redelivered", "env", EnvReconcileInterval)
	}
	return pj
}
