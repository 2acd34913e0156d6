package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/go-github/v62/github"

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
// app/pipeline authenticated by the app's installation tokens. state
// keeps the ids the publishers create (the database: wire_tables.go);
// login is the app's bot user (botLogin).
func defaultPipeline(f *gh.ClientFactory, login string, state publish.State, m *metrics.Metrics, log *slog.Logger, opts ...pipeline.Option) jobs.Pipeline {
	pub := publish.Multi{publish.NewChecks(f, state), publish.NewReviews(f, state, log.With("component", "review"),
		publish.WithBotLogin(login))}
	opts = append([]pipeline.Option{pipeline.WithLogger(log.With("component", "pipeline"))}, opts...)
	return pipeline.New(f, counting{pub, m}, pipeline.AppTokens(f), opts...)
}

// counting is a publisher that counts the findings it publishes.
type counting struct {
	publish.Publisher
	m *metrics.Metrics
}

// CloseOpen implements publish.Closer when the wrapped publisher does.
func (c counting) CloseOpen(ctx context.Context, t publish.Target, title, summary string) error {
	if cl, ok := c.Publisher.(publish.Closer); ok {
		return cl.CloseOpen(ctx, t, title, summary)
	}
	return nil
}

// Prefetch implements publish.Prefetcher when the wrapped publisher does.
func (c counting) Prefetch(ctx context.Context, t publish.Target) *publish.Prefetched {
	if pf, ok := c.Publisher.(publish.Prefetcher); ok {
		return pf.Prefetch(ctx, t)
	}
	return nil
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

// botLogin is the app's bot user ("<slug>[bot]"), so the review
// publisher and the command worker trust only their own hidden markers. When GitHub cannot be
// asked at start-up it returns "" (markers trusted from anyone) and says
// so: starting matters more, and the markers only deduplicate comments.
func botLogin(ctx context.Context, f *gh.ClientFactory, log *slog.Logger) string {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := f.App(ctx)
	if err == nil {
		var app *github.App
		if app, _, err = c.Apps.Get(ctx, ""); err == nil && app.GetSlug() != "" {
			return app.GetSlug() + "[bot]"
		}
	}
	log.Warn("could not read the app's slug from GitHub; review markers will be trusted from any author", "err", err)
	return ""
}
