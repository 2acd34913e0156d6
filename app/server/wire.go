package server

import (
	"context"
	"log/slog"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

// defaultPipeline is the scan pipeline production runs: check run and
// review publishers (findings counted for /metrics) and the pipeline of
// app/pipeline authenticated by the app's installation tokens.
func defaultPipeline(f *gh.ClientFactory, m *metrics.Metrics, log *slog.Logger, opts ...pipeline.Option) jobs.Pipeline {
	// TODO(store): publish.State lives in memory until app/store implements
	// it, so after a restart the first scan of a pull request finds its
	// earlier check run and comments through GitHub's API instead.
	state := &publish.MemState{}
	pub := publish.Multi{publish.NewChecks(f, state), publish.NewReviews(f, state, log.With("component", "review"))}
	opts = append([]pipeline.Option{pipeline.WithLogger(log.With("component", "pipeline"))}, opts...)
	return pipeline.New(f, counting{pub, m}, pipeline.AppTokens(f), opts...)
}

// counting is a publisher that counts the findings it publishes.
type counting struct {
	publish.Publisher
	m *metrics.Metrics
}

func (c counting) Publish(ctx context.Context, id publish.RunID, t publish.Target, r *scanners.Report, cs *diff.ChangeSet, opt publish.Options) error {
	err := c.Publisher.Publish(ctx, id, t, r, cs, opt)
	if err == nil && r != nil {
		type key struct{ kind, sev string }
		n := map[key]int{}
		for _, f := range r.Findings {
			n[key{string(f.Rule.Kind), f.Severity.String()}]++
		}
		for k, v := range n {
			c.m.Findings(k.kind, k.sev, v)
		}
	}
	return err
}
