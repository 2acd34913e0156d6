package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/event"
	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/webhook"
)

// Server is a configured Picket server: its store, queue and handlers.
// Serve runs it until its context ends.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics.Metrics
	st      *store.Store
	queue   *jobs.Queue // nil without credentials
	factory *gh.ClientFactory
	mux     *http.ServeMux
	ready   atomic.Bool
	started time.Time
	owner   io.Closer // the SQLite lock (sqlitelock_unix.go); nil on PostgreSQL
}

type options struct {
	pipeline     jobs.Pipeline
	pipelineOpts []pipeline.Option
	metrics      *metrics.Metrics
	pollInterval time.Duration
}

// Option adjusts New; the defaults are what production runs.
type Option func(*options)

// WithPipeline sets the scan pipeline the queue's workers run (tests, or
// a caller wiring its own). The default is defaultPipeline.
func WithPipeline(p jobs.Pipeline) Option { return func(o *options) { o.pipeline = p } }

// WithPipelineOptions adds options to the default pipeline (tests point
// its git fetch at a local server with pipeline.WithCloneURL).
func WithPipelineOptions(opts ...pipeline.Option) Option {
	return func(o *options) { o.pipelineOpts = append(o.pipelineOpts, opts...) }
}

// WithMetrics uses m instead of a new metrics set.
func WithMetrics(m *metrics.Metrics) Option { return func(o *options) { o.metrics = m } }

// WithPollInterval sets how often idle queue workers look for jobs.
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.pollInterval = d } }

// Run serves cfg on cfg.Listen until ctx ends, then shuts down
// gracefully. It is all `picket serve` does after loading the config.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	s, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		s.close()
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	return s.Serve(ctx, ln)
}

// NewLogger returns the structured logger for format "json" or "text".
func NewLogger(w io.Writer, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// New validates cfg, opens the store and, when the app credentials are
// set, the GitHub client factory and the queue. Without credentials it
// still returns a server that answers health, metrics and the home page.
func New(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var o options
	for _, f := range opts {
		f(&o)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.metrics == nil {
		o.metrics = metrics.New()
	}
	s := &Server{cfg: cfg, log: log, metrics: o.metrics, started: time.Now()}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	s.st = st
	if s.owner, err = lockSQLite(cfg.DatabaseURL); err != nil {
		st.Close()
		return nil, err
	}
	var hook http.Handler = s.unconfigured()
	if cfg.Configured() {
		if hook, err = s.wire(ctx, o); err != nil {
			st.Close()
			return nil, err
		}
	} else {
		log.Warn("picket is not configured: webhooks will be refused until the app credentials are set",
			"missing", cfg.Missing(), "how", registerHint)
	}
	s.routes(hook)
	return s, nil
}

// registerHint is the one-line version of the home page's instructions.
const registerHint = "register a GitHub App from app.yml (the manifest flow) or with GitHub's New GitHub App form " +
	"(permissions and events as in app.yml, webhook URL https://<host>/webhook), then set PICKET_APP_ID, " +
	"PICKET_PRIVATE_KEY_FILE and PICKET_WEBHOOK_SECRET; see docs/configuration.md"

// wire builds the GitHub client factory, the queue and the webhook
// handler.
func (s *Server) wire(ctx context.Context, o options) (http.Handler, error) {
	f, err := gh.New(s.cfg.AppID, s.cfg.PrivateKey, append([]gh.Option{gh.WithBaseURL(s.cfg.GitHubURL), gh.WithMetrics(s.metrics), gh.WithLogger(s.log)},
		s.budgetOptions()...)...)
	if err != nil {
		// gh's errors do not quote the key.
		return nil, fmt.Errorf("github app: %w", err)
	}
	s.factory = f
	o.pipelineOpts = append(s.ignoreOptions(), o.pipelineOpts...) // wire_commands.go
	p := o.pipeline
	login := "" // the app's bot user, read once for both workers below
	if p == nil {
		login = botLogin(ctx, f, s.log)
		// Options in order: metrics, the result cache (wire_tables.go), the
		// pre-publish head check, the caller's.
		popts := append(append(s.pipelineMetrics(), s.cacheOptions()...), pipeline.WithHeads(s.st.Head))
		popts = append(popts, s.publishLockOptions()...) // wire_publishlock.go
		popts = append(popts, o.pipelineOpts...)
		p = defaultPipeline(f, login, s.publishState(), s.metrics, s.log, popts...)
	}
	workers := river.NewWorkers()
	s.addCommandWorker(workers, f, login) // wire_commands.go
	// fair: per-installation slots across replicas, queue and scan metrics.
	river.AddWorker[jobs.ScanArgs](workers, s.fair(&worker{
		// pipeline.Worker tells the pipeline which attempt runs, so the
		// last one completes the check run instead of leaving it in progress.
		Worker: pipeline.Worker{ScanWorker: jobs.ScanWorker{Store: s.st, Pipeline: p}},
		log:    s.log.With("component", "worker"), m: s.metrics,
	}))
	sweep := s.reconcileWorkers(workers, f)
	s.addRetentionWorker(workers) // wire_retention.go
	q, err := jobs.NewQueue(ctx, s.st, jobs.QueueOptions{Workers: workers, Concurrency: s.cfg.Concurrency,
		PollInterval: o.pollInterval, Logger: s.log.With("component", "queue"), PeriodicJobs: append(s.reconcileJobs(), s.retentionJobs()...),
		JobTimeout: s.cfg.JobTimeout, RescueStuckJobsAfter: s.cfg.RescueAfter, Middleware: s.queueMiddleware()})
	if err != nil {
		return nil, err
	}
	s.queue = q
	if s.owner != nil {
		// This process owns the SQLite database: jobs it records as
		// running were left by a process that died. Run them again now.
		// Its leases (installation slots, publish leases) too.
		leases, err := s.st.ClearSlots(ctx)
		if err != nil {
			return nil, err
		}
		n, err := q.RescueOrphans(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 || leases > 0 {
			s.log.Info("jobs and leases left by a stopped process released", "jobs", n, "leases", leases)
		}
	}
	sweep.Queue = q
	rec := &jobs.Recorder{Store: s.st, Queue: q, Route: event.Router(event.Options{
		Drafts: s.cfg.ReviewDrafts, AppID: s.cfg.AppID, Lookup: s.st.PullRequestsForHead,
	})}
	return webhook.New(s.cfg.WebhookSecret, rec, event.Events,
		webhook.WithLogger(s.log.With("component", "webhook")), webhook.WithObserver(s.metrics.Webhook))
}

// worker logs each scan job with its ids and records its duration.
type worker struct {
	pipeline.Worker
	log *slog.Logger
	m   *metrics.Metrics
}

// Work implements river.Worker.
func (w *worker) Work(ctx context.Context, job *river.Job[jobs.ScanArgs]) error {
	start := time.Now()
	err := w.Worker.Work(ctx, job)
	d := time.Since(start) // fairWorker records it with the size class
	a := job.Args
	log := w.log.With(logkey.JobID, job.ID, logkey.DeliveryID, a.DeliveryID, logkey.InstallationID, a.InstallationID,
		logkey.Repo, a.Repo, logkey.PR, a.PR, logkey.HeadSHA, a.HeadSHA, "attempt", job.Attempt, "duration_ms", d.Milliseconds())
	if err != nil {
		log.WarnContext(ctx, "scan job failed", "err", err)
	} else {
		log.InfoContext(ctx, "scan job done")
	}
	return err
}

// Handler is the server's HTTP handler (for httptest).
func (s *Server) Handler() http.Handler { return s.mux }

// Metrics is the server's metrics set.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// Serve starts the queue and serves HTTP on ln until ctx ends. Then it
// stops accepting requests, lets running jobs finish for up to the
// configured shutdown timeout (cancelling them after it), and closes the
// store. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.queue != nil {
		// The queue's life is ended by Stop below, not by ctx: cancelling
		// Start's context would kill running jobs at once.
		if err := s.queue.Start(context.WithoutCancel(ctx)); err != nil {
			ln.Close()
			s.close()
			return fmt.Errorf("start queue: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute, // a 25 MB payload on a slow link
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.ready.Store(true)
	s.log.Info("picket serving", "addr", ln.Addr().String(), "config", s.cfg, "configured", s.cfg.Configured())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	s.ready.Store(false)
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("serve: %w", serveErr))
	}
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		srv.Close()
	}
	if s.queue != nil {
		if err := s.queue.Stop(sctx); err != nil {
			// Running jobs overran the deadline: cancel them; River
			// retries them on the next start.
			s.log.Warn("jobs still running at the shutdown deadline; cancelling them", "err", err)
			hctx, hcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := s.queue.StopAndCancel(hctx); err != nil {
				errs = append(errs, fmt.Errorf("stop queue: %w", err))
			}
			hcancel()
		}
	}
	if err := s.close(); err != nil {
		errs = append(errs, err)
	}
	s.log.Info("stopped")
	return errors.Join(errs...)
}

func (s *Server) close() error {
	if err := s.st.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	if s.owner != nil {
		if err := s.owner.Close(); err != nil {
			return fmt.Errorf("unlock database: %w", err)
		}
	}
	return nil
}
