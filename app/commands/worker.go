package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/command"
	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/templates"
)

// Clients hands out installation clients (a *gh.ClientFactory, whose
// clients apply the rate budget to content-creating calls).
type Clients interface {
	Installation(ctx context.Context, installationID int64) (*github.Client, error)
}

// Ignores stores /picket ignore decisions (implemented by *store.Store).
type Ignores interface {
	// AddIgnore records ig; the same id in the same scope replaces the
	// earlier record.
	AddIgnore(ctx context.Context, ig store.Ignore) error
	// Ignores returns the ignores that apply to pull request pr of repo:
	// its own and the repository's.
	Ignores(ctx context.Context, repo string, pr int) ([]store.Ignore, error)
	// RemoveIgnore deletes the ignore stored with exactly id in exactly
	// one scope (pr 0: the repository's) and reports whether there was
	// one; removing a missing ignore is not an error.
	RemoveIgnore(ctx context.Context, repo string, pr int, id string) (bool, error)
}

// Enqueuer enqueues a job. A job equal to one already queued (by River
// uniqueness) is not an error; ErrBusy says an equal job is running now,
// so enqueueing again after it ends would not be a no-op.
type Enqueuer interface {
	Enqueue(ctx context.Context, args river.JobArgs) error
}

// ErrBusy is returned by an Enqueuer when an equal unique job is running:
// a scan of the same head started before the command and may not see its
// effect (an ignore it did not load).
var ErrBusy = errors.New("an equal job is running")

// Log keys of the worker's records, beside logkey's shared ones.
const (
	LogCommentID = "comment_id"
	LogCommand   = "command"
)

// busyWait and maxBusy bound how long a command waits for a running scan
// of the same head before enqueueing its rescan: River snoozes the job
// (a snooze is not a failed attempt, so the count is read from River's
// "snoozes" metadata), at most maxBusy times; then ErrBusy is an ordinary
// error, retried with backoff.
const (
	busyWait = 2 * time.Second
	maxBusy  = 60
)

// Worker executes CommandArgs jobs.
type Worker struct {
	river.WorkerDefaults[CommandArgs]
	Clients Clients
	Ignores Ignores
	Enqueue Enqueuer
	// BotLogin is the app's bot user ("picket[bot]"): only its comments
	// count as earlier replies. Empty trusts any bot account.
	BotLogin string
	Log      *slog.Logger
	Now      func() time.Time // default time.Now
}

var _ river.Worker[CommandArgs] = (*Worker)(nil)

// Work implements river.Worker: eyes on receipt, the permission check,
// the command, rocket when done. A GitHub or store error is returned for
// River to retry; every step is safe to repeat.
func (w *Worker) Work(ctx context.Context, job *river.Job[CommandArgs]) error {
	a := job.Args
	log := w.logger().With(logkey.Repo, a.Repo, logkey.PR, a.PR, LogCommentID, a.CommentID, logkey.DeliveryID, a.DeliveryID,
		logkey.InstallationID, a.InstallationID, LogCommand, commandName(a), logkey.JobID, job.ID, "attempt", job.Attempt)
	owner, name, ok := strings.Cut(a.Repo, "/")
	if !ok || a.PR == 0 || a.CommentID == 0 {
		return river.JobCancel(fmt.Errorf("command job for %q#%d comment %d: malformed", a.Repo, a.PR, a.CommentID))
	}
	c, err := w.Clients.Installation(ctx, a.InstallationID)
	if err != nil {
		return fmt.Errorf("installation client: %w", err)
	}
	r := &run{w: w, c: c, a: a, owner: owner, name: name}
	if err := r.react(ctx, "eyes"); err != nil {
		return retryOrCancel(err)
	}
	allowed, err := r.mayRun(ctx)
	if err != nil {
		return retryOrCancel(err)
	}
	if !allowed {
		log.InfoContext(ctx, "command refused: the author lacks write permission", "author", a.Author)
		return retryOrCancel(r.reply(ctx, templates.ReplyView{Kind: templates.ReplyDenied}))
	}
	done, err := r.execute(ctx)
	if errors.Is(err, ErrBusy) && snoozes(job.Metadata) < maxBusy {
		log.InfoContext(ctx, "a scan of the head is running; the command waits for it", "wait", busyWait)
		return river.JobSnooze(busyWait)
	}
	if err != nil {
		return retryOrCancel(err)
	}
	if !done {
		log.InfoContext(ctx, "command answered, not run", "author", a.Author)
		return nil
	}
	if err := r.react(ctx, "rocket"); err != nil {
		return retryOrCancel(err)
	}
	log.InfoContext(ctx, "command done", "author", a.Author)
	return nil
}

// retryOrCancel returns err for River to retry, unless GitHub refused
// the call for good (gh.Kind invalid, not found, permission: the comment
// or pull request was deleted, the app lost access), which cancels the
// job instead of retrying it for hours. Errors that did not come from
// GitHub (the store, the queue) are always retried.
func retryOrCancel(err error) error {
	if err == nil {
		return nil
	}
	var ge *gh.Error
	var resp *github.ErrorResponse
	if (errors.As(err, &ge) || errors.As(err, &resp)) && !gh.KindOf(err).Retryable() {
		return river.JobCancel(err)
	}
	return err
}

// snoozes is how often River snoozed the job (its "snoozes" metadata).
func snoozes(metadata []byte) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	if len(metadata) == 0 || json.Unmarshal(metadata, &m) != nil {
		return 0
	}
	return m.Snoozes
}

func (w *Worker) logger() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func commandName(a CommandArgs) string {
	if a.Outcome == OutcomeReply {
		return "reply"
	}
	return string(a.Command.Name)
}

// run is one execution of a command job.
type run struct {
	w           *Worker
	c           *github.Client
	a           CommandArgs
	owner, name string
}

// execute runs the permitted command. done is false when the command
// was answered but not carried out (a usage error, an unknown id, a
// closed pull request): no rocket then.
func (r *run) execute(ctx context.Context) (done bool, err error) {
	a := r.a
	if a.Outcome == OutcomeReply {
		if strings.TrimSpace(a.Reply) == strings.TrimSpace(command.HelpText) {
			return true, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyHelp})
		}
		msg := strings.TrimSpace(strings.TrimSuffix(a.Reply, command.HelpText))
		return false, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyUsage, Message: msg})
	}
	switch a.Command.Name {
	case command.Help:
		return true, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyHelp})
	case command.Rescan:
		return r.rescan(ctx)
	case command.Ignore:
		return r.ignore(ctx)
	case command.Unignore:
		return r.unignore(ctx)
	}
	return false, river.JobCancel(fmt.Errorf("unknown command %q", a.Command.Name))
}

// rescan enqueues a scan of the pull request's current head. A closed
// pull request is answered instead (done false).
func (r *run) rescan(ctx context.Context) (done bool, err error) {
	pr, _, err := r.c.PullRequests.Get(ctx, r.owner, r.name, r.a.PR)
	if err != nil {
		return false, fmt.Errorf("get %s#%d: %w", r.a.Repo, r.a.PR, err)
	}
	if pr.GetState() == "closed" {
		return false, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyFailed, Message: "the pull request is closed, so there is nothing to scan."})
	}
	args := jobs.ScanArgs{InstallationID: r.a.InstallationID, Repo: r.a.Repo, PR: r.a.PR,
		HeadSHA: pr.GetHead().GetSHA(), BaseSHA: pr.GetBase().GetSHA(), Reason: "rescan", DeliveryID: r.a.DeliveryID}
	if args.HeadSHA == "" {
		return false, fmt.Errorf("get %s#%d: no head sha", r.a.Repo, r.a.PR)
	}
	if err := r.w.Enqueue.Enqueue(ctx, args); err != nil {
		if errors.Is(err, ErrBusy) {
			return false, err
		}
		return false, fmt.Errorf("enqueue rescan of %s#%d: %w", r.a.Repo, r.a.PR, err)
	}
	return true, nil
}

// ignore checks the id names a finding Picket reported on this pull
// request, records the ignore, answers, and rescans so the check run and
// summary reflect it.
func (r *run) ignore(ctx context.Context) (done bool, err error) {
	cmd := r.a.Command
	known, err := r.reported(ctx, cmd.ID)
	if err != nil {
		return false, err
	}
	if !known {
		return false, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyUnknownID, ID: cmd.ID})
	}
	ig := store.Ignore{Repo: r.a.Repo, PR: r.a.PR, ID: cmd.ID, Reason: cmd.Reason, By: r.a.Author, At: r.w.now()}
	if cmd.Repo {
		ig.PR = 0
	}
	if err := r.w.Ignores.AddIgnore(ctx, ig); err != nil {
		return false, fmt.Errorf("store ignore: %w", err)
	}
	if err := r.reply(ctx, templates.ReplyView{Kind: templates.ReplyIgnored, ID: cmd.ID, Reason: cmd.Reason, Repo: cmd.Repo}); err != nil {
		return false, err
	}
	return r.rescan(ctx)
}
