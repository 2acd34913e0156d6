package server

import (
	"context"
	"errors"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/store"
)

// defaultPipeline is the scan pipeline production runs. HOOK: when
// app/pipeline lands, this body becomes `return pipeline.New(...)` with
// the factory, store, metrics (Findings) and logger.
func defaultPipeline(_ *gh.ClientFactory, _ *store.Store, _ *metrics.Metrics, log *slog.Logger) jobs.Pipeline {
	log.Warn("no scan pipeline is wired into this build: scan jobs will be cancelled")
	return noPipeline{}
}

// noPipeline cancels every job instead of retrying it for nothing.
type noPipeline struct{}

func (noPipeline) Scan(context.Context, jobs.ScanArgs) error {
	return river.JobCancel(errors.New("no scan pipeline is wired into this build"))
}
