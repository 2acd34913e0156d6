package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/app/store"
)

// DefaultMaxPRs is how many open pull requests one sweep looks at.
const DefaultMaxPRs = 500

// Reason is the ScanArgs.Reason of the scans a sweep enqueues.
const Reason = "reconcile"

// Sweeper enqueues a scan for every open pull request whose head has no
// completed Picket check run. Run it from one process at a time (River's
// leader).
type Sweeper struct {
	Clients Clients
	Store   *store.Store
	Queue   Enqueuer
	Log     *slog.Logger
	// Drafts sweeps draft pull requests too (as PICKET_REVIEW_DRAFTS).
	Drafts bool
	// MaxPRs bounds the open pull requests looked at per run (default
	// DefaultMaxPRs); one check-runs read is made for each.
	MaxPRs int
	Now    func() time.Time // default time.Now
	// Observer, if set, is told what each run did (metrics).
	Observer Observer
}

// SweepResult says what one sweep did.
type SweepResult struct {
	Installations int
	Repos         int
	PRs           int  // open pull requests looked at
	Enqueued      int  // scans enqueued
	Capped        bool // MaxPRs was reached
}

// errCapped stops the walk when MaxPRs is reached.
var errCapped = errors.New("sweep limit reached")

// Run walks the installations, their repositories and open pull requests.
// Installations come from GitHub (GET /app/installations), not from the
// store's ActiveInstallations: an installation created while Picket was
// away has no row yet, and GitHub's suspended_at is the truth.
// A repository that cannot be read is logged and skipped; an error means
// the app client or the store failed and the run should be retried. The
// Observer, if any, is told what the run did.
func (s *Sweeper) Run(ctx context.Context) (SweepResult, error) {
	res, err := s.run(ctx)
	observeSweep(s.Observer, res, err, now(s.Now))
	return res, err
}

// run is Run without the Observer.
func (s *Sweeper) run(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	app, err := s.Clients.App(ctx)
	if err != nil {
		return res, fmt.Errorf("sweep: app client: %w", err)
	}
	var insts []*github.Installation
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := app.Apps.ListInstallations(ctx, opts)
		if err != nil {
			return res, fmt.Errorf("sweep: list installations: %w", err)
		}
		insts = append(insts, page...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	for _, in := range insts {
		if in.SuspendedAt != nil {
			continue
		}
		res.Installations++
		err := s.installation(ctx, in.GetID(), &res, log.With(logkey.InstallationID, in.GetID()))
		if errors.Is(err, errCapped) {
			res.Capped = true
			log.WarnContext(ctx, "sweep limit reached; the rest waits for the next sweep", "limit", s.maxPRs())
			break
		}
		if err != nil {
			return res, err
		}
	}
	log.InfoContext(ctx, "sweep done", "installations", res.Installations, "repos", res.Repos, "prs", res.PRs, "enqueued", res.Enqueued)
	return res, nil
}

func (s *Sweeper) installation(ctx context.Context, id int64, res *SweepResult, log *slog.Logger) error {
	c, err := s.Clients.Installation(ctx, id)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.WarnContext(ctx, "sweep: no client for installation; skipped", "err", err)
		return nil
	}
	opts := &github.ListOptions{PerPage: 100}
	for {
		repos, resp, err := c.Apps.ListRepos(ctx, opts)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.WarnContext(ctx, "sweep: cannot list the installation's repositories; skipped", "err", err)
			return nil
		}
		for _, r := range repos.Repositories {
			res.Repos++
			if err := s.repo(ctx, c, id, r.GetOwner().GetLogin(), r.GetName(), res, log.With(logkey.Repo, r.GetFullName())); err != nil {
				return err
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opts.Page = resp.NextPage
	}
}

func (s *Sweeper) repo(ctx context.Context, c *github.Client, inst int64, owner, name string, res *SweepResult, log *slog.Logger) error {
	opts := &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		prs, resp, err := c.PullRequests.List(ctx, owner, name, opts)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.WarnContext(ctx, "sweep: cannot list open pull requests; skipped", "err", err)
			return nil
		}
		for _, p := range prs {
			if p.GetDraft() && !s.Drafts {
				continue
			}
			if res.PRs == s.maxPRs() {
				return errCapped
			}
			res.PRs++
			if err := s.pr(ctx, c, inst, owner, name, p, res, log.With(logkey.PR, p.GetNumber(), logkey.HeadSHA, p.GetHead().GetSHA())); err != nil {
				return err
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opts.Page = resp.NextPage
	}
}

// pr enqueues a scan of p's head unless a Picket check run on it has
// completed. River's uniqueness makes a scan already queued or running
// for that head absorb the new one.
func (s *Sweeper) pr(ctx context.Context, c *github.Client, inst int64, owner, name string, p *github.PullRequest, res *SweepResult, log *slog.Logger) error {
	head := p.GetHead().GetSHA()
	seen := now(s.Now)
	runs, _, err := c.Checks.ListCheckRunsForRef(ctx, owner, name, head, &github.ListCheckRunsOptions{CheckName: github.String(publish.CheckName)})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.WarnContext(ctx, "sweep: cannot read the head's check runs; skipped", "err", err)
		return nil
	}
	for _, cr := range runs.CheckRuns {
		if cr.GetName() == publish.CheckName && cr.GetStatus() == "completed" {
			return nil
		}
	}
	repo := owner + "/" + name
	// A webhook already recorded this head, and with it (in the same
	// transaction) its scan job, which River runs to a completed check
	// run even across crashes: a second job would only race it and, if it
	// finished first, leave the head with two completed runs.
	if cur, known, err := s.Store.Head(ctx, repo, p.GetNumber()); err != nil {
		return fmt.Errorf("sweep: head of %s#%d: %w", repo, p.GetNumber(), err)
	} else if known && cur == head {
		return nil
	}
	args := jobs.ScanArgs{InstallationID: inst, Repo: repo, PR: p.GetNumber(), HeadSHA: head,
		BaseSHA: p.GetBase().GetSHA(), Reason: Reason}
	var inserted bool
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		current, err := s.Store.SetHeadIfStale(ctx, tx, repo, p.GetNumber(), head, seen)
		if err != nil || !current {
			// A webhook recorded a newer head after GitHub was read: its
			// own scan is on the way.
			return err
		}
		inserted, err = s.Queue.InsertTx(ctx, tx, args)
		return err
	})
	if err != nil {
		return fmt.Errorf("sweep: enqueue %s#%d: %w", repo, p.GetNumber(), err)
	}
	if inserted {
		res.Enqueued++
		log.InfoContext(ctx, "sweep: enqueued a scan of a head with no completed check run")
	}
	return nil
}

func (s *Sweeper) maxPRs() int { return orDefault(s.MaxPRs, DefaultMaxPRs) }
