package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/app/store"
)

// Defaults of Redeliverer.
const (
	DefaultMaxRedeliveries = 50 // redeliveries asked for per run
	DefaultMaxAttempts     = 3  // redeliveries of one delivery before giving up
	DefaultMaxPages        = 50 // pages of 100 deliveries listed per run
)

// markDeliveries is the watermark of the newest delivery looked at.
const markDeliveries = "deliveries"

// overlap is how far before the watermark each run lists again: GitHub
// may record an attempt a little after a later one was listed.
const overlap = 2 * time.Minute

// pendingGrace is how long a redelivery asked for is taken to be on its
// way; after it, a delivery whose newest attempt still predates the
// request is asked for again (counting towards MaxAttempts).
const pendingGrace = 10 * time.Minute

// Redeliverer asks GitHub to redeliver the webhook deliveries the app
// missed. Run it from one process at a time (River's leader).
type Redeliverer struct {
	Clients Clients
	Store   *store.Store
	Log     *slog.Logger
	// MaxRedeliveries bounds the redeliveries asked for per run
	// (default DefaultMaxRedeliveries); the rest wait for the next run.
	MaxRedeliveries int
	// MaxAttempts bounds the redeliveries of one delivery (default
	// DefaultMaxAttempts): a delivery the app keeps failing is given up.
	MaxAttempts int
	// MaxPages bounds the pages of 100 deliveries listed per run
	// (default DefaultMaxPages).
	MaxPages int
	Now      func() time.Time // default time.Now
	// Observer, if set, is told what each run did (metrics).
	Observer Observer

	perPage int // deliveries per page (tests); default 100
}

// RedeliverResult says what one run did.
type RedeliverResult struct {
	Listed      int  // delivery attempts listed
	Failed      int  // deliveries whose newest attempt failed
	Redelivered int  // redeliveries asked for
	Recorded    int  // failed on GitHub's side but recorded by the app: left alone
	GivenUp     int  // failed after MaxAttempts redeliveries: left alone
	Refused     int  // GitHub refused the redelivery (4xx): left alone
	Pending     int  // a redelivery asked for earlier is still on its way
	Capped      bool // MaxRedeliveries was reached; the rest wait for the next run
	Truncated   bool // MaxPages was reached before the watermark
}

// failed reports whether a delivery attempt failed: no answer (status
// code 0), an error status, or a status other than GitHub's "OK".
func failed(d *github.HookDelivery) bool {
	c := d.GetStatusCode()
	return c == 0 || c >= http.StatusBadRequest || !strings.EqualFold(d.GetStatus(), "OK")
}

// Run lists the deliveries since the watermark and asks for the
// redelivery of every failed one that the store has not recorded. An
// error means the run should be retried; what it did before the error
// stays done (a repeated redelivery is harmless: the app deduplicates
// by GUID). The Observer, if any, is told what the run did.
func (r *Redeliverer) Run(ctx context.Context) (RedeliverResult, error) {
	res, err := r.run(ctx)
	observeDeliveries(r.Observer, res, err, now(r.Now))
	return res, err
}

// run is Run without the Observer.
func (r *Redeliverer) run(ctx context.Context) (RedeliverResult, error) {
	var res RedeliverResult
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := now(r.Now)
	since := start.Add(-Retention)
	mark, ok, err := r.Store.Mark(ctx, markDeliveries)
	if err != nil {
		return res, err
	}
	if ok && mark.Add(-overlap).After(since) {
		since = mark.Add(-overlap)
	}
	app, err := r.Clients.App(ctx)
	if err != nil {
		return res, fmt.Errorf("reconcile deliveries: app client: %w", err)
	}
	newest, redelivered, truncated, err := r.list(ctx, app, since, &res)
	if err != nil {
		return res, err
	}
	res.Truncated = truncated
	if truncated {
		log.WarnContext(ctx, "more webhook deliveries than one run lists; the oldest were not examined",
			"pages", r.maxPages(), "since", since)
	}
	var cands []*github.HookDelivery
	for _, d := range newest {
		if failed(d) {
			cands = append(cands, d)
		}
	}
	res.Failed = len(cands)
	// Oldest first: those are the nearest to leaving GitHub's log.
	sort.Slice(cands, func(i, j int) bool { return older(cands[i], cands[j]) })
	newMark := latest(newest, since)
	// keep holds the watermark before a delivery the next run must see
	// again: one whose redelivery is pending (if it never comes, it is
	// asked for again after pendingGrace) or one left by the cap.
	keep := func(d *github.HookDelivery) {
		if t := d.GetDeliveredAt().Add(-time.Millisecond); t.Before(newMark) {
			newMark = t
		}
	}
	for i, d := range cands {
		o, err := r.consider(ctx, app, d, redelivered[d.GetGUID()], start, &res, log)
		if err != nil {
			return res, err
		}
		if o == pendingOutcome {
			keep(d)
		}
		if o == cappedOutcome {
			res.Capped = true
			keep(d)
			log.WarnContext(ctx, "redelivery limit reached; the rest wait for the next run",
				"limit", r.maxRedeliveries(), "left", len(cands)-i)
			break
		}
	}
	if _, err := r.Store.ForgetRedeliveries(ctx, start.Add(-Retention)); err != nil {
		return res, err
	}
	if err := r.Store.SetMark(ctx, markDeliveries, newMark); err != nil {
		return res, err
	}
	return res, nil
}

// list pages through the deliveries newest first until one older than
// since, and returns the newest attempt of each GUID and how many of the
// listed attempts of each GUID were redeliveries.
func (r *Redeliverer) list(ctx context.Context, app *github.Client, since time.Time, res *RedeliverResult) (newest map[string]*github.HookDelivery, redelivered map[string]int, truncated bool, err error) {
	newest, redelivered = map[string]*github.HookDelivery{}, map[string]int{}
	opts := &github.ListCursorOptions{PerPage: orDefault(r.perPage, 100)}
	for page := 0; ; page++ {
		if page == r.maxPages() {
			return newest, redelivered, true, nil
		}
		ds, resp, err := app.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			return nil, nil, false, fmt.Errorf("reconcile deliveries: list: %w", err)
		}
		for _, d := range ds {
			if d.GetDeliveredAt().Before(since) {
				return newest, redelivered, false, nil
			}
			res.Listed++
			if d.GetRedelivery() {
				redelivered[d.GetGUID()]++
			}
			if cur, ok := newest[d.GetGUID()]; !ok || older(cur, d) {
				newest[d.GetGUID()] = d
			}
		}
		if resp.Cursor == "" || len(ds) == 0 {
			return newest, redelivered, false, nil
		}
		opts.Cursor = resp.Cursor
	}
}

// outcome is what consider did with a failed delivery.
type outcome int

const (
	doneOutcome    outcome = iota // redelivered, or nothing to do
	pendingOutcome                // a redelivery asked for earlier is on its way
	cappedOutcome                 // the run's limit is reached: nothing done
)

// consider decides about one failed delivery and asks for its
// redelivery if it is due.
//
// A redelivery asked for is pending while fewer redelivery attempts of
// the GUID are listed than were asked for (GitHub redelivers after it
// answers), for up to pendingGrace. Counting attempts rather than
// comparing times keeps clear of GitHub's one-second timestamps and of
// clock skew.
func (r *Redeliverer) consider(ctx context.Context, app *github.Client, d *github.HookDelivery, listedRedeliveries int, start time.Time, res *RedeliverResult, log *slog.Logger) (outcome, error) {
	guid := d.GetGUID()
	log = log.With(logkey.DeliveryID, guid, logkey.Event, d.GetEvent(), "action", d.GetAction(),
		logkey.InstallationID, d.GetInstallationID(), "status_code", d.GetStatusCode())
	recorded, err := r.Store.HasDelivery(ctx, guid)
	if err != nil {
		return doneOutcome, err
	}
	if recorded {
		// The app committed it but GitHub saw an error (a timeout, a
		// reply lost): the work is queued already.
		res.Recorded++
		return doneOutcome, nil
	}
	attempts, last, err := r.Store.Redelivery(ctx, guid)
	if err != nil {
		return doneOutcome, err
	}
	if listedRedeliveries < attempts && start.Sub(last) < pendingGrace {
		res.Pending++
		return pendingOutcome, nil
	}
	if attempts >= r.maxAttempts() {
		res.GivenUp++
		log.WarnContext(ctx, "webhook delivery still failing after redeliveries; giving up", "redeliveries", attempts)
		return doneOutcome, nil
	}
	if res.Redelivered == r.maxRedeliveries() {
		return cappedOutcome, nil
	}
	_, _, err = app.Apps.RedeliverHookDelivery(ctx, d.GetID())
	var accepted *github.AcceptedError
	switch {
	case err == nil || errors.As(err, &accepted):
		// 202 Accepted: GitHub redelivers on its own time.
	case ctx.Err() != nil:
		return doneOutcome, ctx.Err()
	case isClientError(err):
		// Gone from GitHub's log, or refused: nothing a retry changes.
		res.Refused++
		log.WarnContext(ctx, "GitHub refused a redelivery", "err", err)
		return doneOutcome, nil
	default:
		return doneOutcome, fmt.Errorf("reconcile deliveries: redeliver %s: %w", guid, err)
	}
	if err := r.Store.AddRedelivery(ctx, guid, start); err != nil {
		return doneOutcome, err
	}
	res.Redelivered++
	log.InfoContext(ctx, "asked GitHub to redeliver a failed webhook delivery", "redelivery", attempts+1)
	return doneOutcome, nil
}

// isClientError reports a 4xx answer other than a rate limit (which the
// client's middleware has already waited out and retried).
func isClientError(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	c := er.Response.StatusCode
	return c >= 400 && c < 500 && c != http.StatusTooManyRequests && c != http.StatusForbidden
}

// older orders attempts by time, then id.
func older(a, b *github.HookDelivery) bool {
	ta, tb := a.GetDeliveredAt().Time, b.GetDeliveredAt().Time
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a.GetID() < b.GetID()
}

// latest is the newest delivery time among ds, or floor when none.
func latest(ds map[string]*github.HookDelivery, floor time.Time) time.Time {
	m := floor
	for _, d := range ds {
		if t := d.GetDeliveredAt().Time; t.After(m) {
			m = t
		}
	}
	return m
}

func (r *Redeliverer) maxRedeliveries() int {
	return orDefault(r.MaxRedeliveries, DefaultMaxRedeliveries)
}
func (r *Redeliverer) maxAttempts() int { return orDefault(r.MaxAttempts, DefaultMaxAttempts) }
func (r *Redeliverer) maxPages() int    { return orDefault(r.MaxPages, DefaultMaxPages) }

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}
