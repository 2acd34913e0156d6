package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// CheckName is the name of Picket's check run.
const CheckName = "Picket"

// RescanAction is the identifier of the check run's Re-scan button, as a
// check_run requested_action event carries it.
const RescanAction = "rescan"

// Target is the pull request (and head) a scan is about.
type Target struct {
	Owner, Repo    string
	PR             int
	HeadSHA        string
	BaseSHA        string
	InstallationID int64
	// Job is the River job scanning the target (0 outside River). The
	// check run records it as its external_id, so an attempt of the same
	// job that finds the run completed knows its result is already out.
	Job int64
	// Retry marks a later attempt of Job: an earlier one may have opened
	// the run and died before storing its id, so Begin looks for it.
	Retry bool
}

// FullName is "owner/repo", lower-cased: the key under which State keeps ids.
func (t Target) FullName() string { return strings.ToLower(t.Owner + "/" + t.Repo) }

// String renders "owner/repo#12@abc1234" for error context.
func (t Target) String() string {
	return fmt.Sprintf("%s/%s#%d@%.7s", t.Owner, t.Repo, t.PR, t.HeadSHA)
}

// RunID is the id of the check run a scan reports to; 0 when there is none.
type RunID int64

// ReviewEvent is the event of the review a scan posts.
type ReviewEvent string

// The review events Picket uses.
const (
	Comment        ReviewEvent = "COMMENT"
	RequestChanges ReviewEvent = "REQUEST_CHANGES"
)

// Options shape one Publish call.
type Options struct {
	// FailOn is the severity at or above which the check fails; nil
	// means high.
	FailOn *scanners.Severity
	// Event is the review event; empty means Comment.
	Event ReviewEvent
	// MaxComments caps the comments (inline and file-level) posted per
	// scan; the rest are listed in the review body. 0 means 30, the
	// number reviewdog found GitHub handles without secondary limits.
	MaxComments int
	// Summary carries what the summary shows beyond the report (config
	// changed, config errors). Its FailOn is replaced by FailOn above.
	Summary templates.SummaryOptions
	// DetailsURL is the check run's details link; optional.
	DetailsURL string
	// Prefetched are reads the publishers started before the report was
	// ready (Prefetcher), for the same target; nil when none were.
	Prefetched *Prefetched
}

func (o Options) failOn() scanners.Severity {
	if o.FailOn == nil {
		return scanners.High
	}
	return *o.FailOn
}

func (o Options) maxComments() int {
	if o.MaxComments <= 0 {
		return 30
	}
	return o.MaxComments
}

func (o Options) event() string {
	if o.Event == "" {
		return string(Comment)
	}
	return string(o.Event)
}

// Publisher shows a scan on GitHub.
//
// Begin is called as soon as work starts; it must be cheap and returns
// the RunID that Publish or Abort later complete. Publish is idempotent:
// called again with the same report it posts nothing new. Abort completes
// the run with a neutral conclusion and the cause, so a check never hangs
// in progress. Every method returns go-github errors wrapped with %w;
// classify them with Retryable.
type Publisher interface {
	Begin(ctx context.Context, t Target) (RunID, error)
	Publish(ctx context.Context, id RunID, t Target, r *scanners.Report, cs *diff.ChangeSet, opt Options) error
	Abort(ctx context.Context, id RunID, t Target, cause error) error
}

// Clients returns a GitHub client acting as an installation; the app's
// gh.ClientFactory satisfies it.
type Clients interface {
	Installation(ctx context.Context, installationID int64) (*github.Client, error)
}

// StaticClient is a Clients that always returns the same client, for
// tests and for callers that already hold an installation client.
func StaticClient(c *github.Client) Clients { return static{c} }

type static struct{ c *github.Client }

func (s static) Installation(context.Context, int64) (*github.Client, error) { return s.c, nil }

// Multi fans a scan out to several publishers. Begin returns the first
// non-zero RunID, asking them in order; Publish runs every publisher at
// once (the check run's update and the review's reads of earlier
// comments share their round trips) and Abort in order, both running
// every publisher even when one fails (the check run must complete even
// if the review fails), and join the errors in the publishers' order.
type Multi []Publisher

var _ Publisher = Multi(nil)

// Begin implements Publisher.
func (m Multi) Begin(ctx context.Context, t Target) (RunID, error) {
	var id RunID
	for _, p := range m {
		got, err := p.Begin(ctx, t)
		if err != nil {
			return id, err
		}
		if id == 0 {
			id = got
		}
	}
	return id, nil
}

// Publish implements Publisher.
func (m Multi) Publish(ctx context.Context, id RunID, t Target, r *scanners.Report, cs *diff.ChangeSet, opt Options) error {
	errs := make([]error, len(m))
	var wg sync.WaitGroup
	for i, p := range m {
		wg.Go(func() { errs[i] = p.Publish(ctx, id, t, r, cs, opt) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Closer is implemented by publishers that can complete a head's open
// check run without opening one: for a head that will not be scanned (a
// newer push superseded it, or the pull request closed) after an earlier
// attempt opened its run.
type Closer interface {
	CloseOpen(ctx context.Context, t Target, title, summary string) error
}

// CloseOpen implements Closer for the members that do.
func (m Multi) CloseOpen(ctx context.Context, t Target, title, summary string) error {
	var errs []error
	for _, p := range m {
		if c, ok := p.(Closer); ok {
			errs = append(errs, c.CloseOpen(ctx, t, title, summary))
		}
	}
	return errors.Join(errs...)
}

// Abort implements Publisher.
func (m Multi) Abort(ctx context.Context, id RunID, t Target, cause error) error {
	var errs []error
	for _, p := range m {
		errs = append(errs, p.Abort(ctx, id, t, cause))
	}
	return errors.Join(errs...)
}
