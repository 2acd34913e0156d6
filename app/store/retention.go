package store

import (
	"context"
	"fmt"
	"time"
)

// Retention: the tables that gain a row per webhook, per head or per
// pull request would grow for as long as the app is installed. Prune
// deletes the rows nothing can need any more. The other growing tables
// bound themselves: the result cache (Cache.Prune), the reconciler's
// redelivery counts (ForgetRedeliveries), and River its own jobs.

// DefaultDeliveryRetention is how long a delivery id is kept for
// deduplication. A delivery row only stops a duplicate of the same
// delivery from being handled twice, and a duplicate is a redelivery:
// GitHub.com redelivers deliveries "from the past 3 days"
// (https://docs.github.com/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks),
// GitHub Enterprise Server (3.6 to 3.20 at least) "from the past 7
// days". A day beyond the longer of the two leaves room for a
// redelivery asked for at the last moment and queued on GitHub's side.
// The reconciler (app/reconcile) reads delivery rows only for deliveries
// GitHub still lists, at most 3 days old (reconcile.Retention); its own
// progress is the watermark in picket_reconcile_mark, not these rows.
const DefaultDeliveryRetention = 8 * 24 * time.Hour

// DefaultClosedPRRetention is how long a closed pull request's rows are
// kept (its newest-head row and its comment ids).
const DefaultClosedPRRetention = 90 * 24 * time.Hour

// DefaultCheckRunRetention is how long a head's check-run id is kept
// after it was last stored.
const DefaultCheckRunRetention = 90 * 24 * time.Hour

// DefaultPruneBatch is how many rows one DELETE statement removes.
const DefaultPruneBatch = 1000

// RetentionPolicy says how old rows must be before Prune deletes them.
// A zero duration keeps that kind of row forever.
type RetentionPolicy struct {
	// Deliveries: webhook deliveries received longer ago than this
	// (picket_delivery). Keep it above GitHub's redelivery window (see
	// DefaultDeliveryRetention), or a late redelivery is handled twice.
	Deliveries time.Duration
	// ClosedPRs: pull requests closed longer ago than this lose their
	// newest-head row (picket_pr_head with an empty head) and their
	// comment ids (picket_comment).
	//
	// Safe because neither is needed once a pull request is closed, and
	// both come back if it is reopened. The reopened event records the
	// head again (jobs.Recorder); a closed pull request has no work left
	// (ScanWorker cancelled its jobs when it closed), and an empty head
	// matches no check_run event (PullRequestsForHead). The review
	// publisher does not rely on the comment ids alone: every Publish
	// lists the pull request's review comments and reviews and indexes
	// Picket's by the hidden fingerprint markers (app/publish/existing.go,
	// loadPosted), skips every finding already said there, and writes the
	// ids it finds back to the store. So a reopened pull request gets no
	// second comment for a finding. The one thing lost: a Picket comment
	// that a person deleted on GitHub is no longer remembered, and is
	// posted again if the finding is still there after the reopening.
	ClosedPRs time.Duration
	// CheckRuns: check-run ids (picket_check_run) last stored longer ago
	// than this.
	//
	// A missing row costs nothing that matters (app/publish/check.go).
	// Begin of a new job opens a new run anyway when the stored one has
	// completed, which an old head's has. Begin of a retried job whose row
	// is missing finds its run on the head by its external_id
	// ("picket-job:ID"), as after a crash between creating the run and
	// storing it. CloseOpen without a row lists the head's Picket runs
	// and completes the open ones.
	CheckRuns time.Duration
	// Batch is how many rows one statement deletes (default
	// DefaultPruneBatch). Prune loops until nothing is left, one
	// statement at a time, so that on SQLite the single writer is free
	// for webhooks between batches.
	Batch int
}

// DefaultRetentionPolicy returns the default durations.
func DefaultRetentionPolicy() RetentionPolicy {
	return RetentionPolicy{Deliveries: DefaultDeliveryRetention, ClosedPRs: DefaultClosedPRRetention,
		CheckRuns: DefaultCheckRunRetention}
}

// Enabled reports whether p deletes anything.
func (p RetentionPolicy) Enabled() bool {
	return p.Deliveries > 0 || p.ClosedPRs > 0 || p.CheckRuns > 0
}

// PruneStats counts the rows one Prune deleted, per table.
type PruneStats struct {
	Deliveries int64 // picket_delivery
	PRHeads    int64 // picket_pr_head (closed pull requests)
	Comments   int64 // picket_comment (of those pull requests)
	CheckRuns  int64 // picket_check_run
}

// Total is the number of rows deleted.
func (s PruneStats) Total() int64 { return s.Deliveries + s.PRHeads + s.Comments + s.CheckRuns }

// The pruning statements, each deleting at most one batch (the second
// parameter). The row-value form "(a, b) IN (SELECT a, b … LIMIT n)" is
// what both dialects accept (SQLite since 3.15); SQLite's "rowid IN"
// and PostgreSQL's ctid are not portable, and neither dialect takes
// DELETE … LIMIT. Each subquery reads the rows in storage order and stops
// after a batch; old rows are the earliest written, so a batch is found
// near the start of the table.
const (
	pruneDeliveries = `DELETE FROM picket_delivery WHERE id IN (
		SELECT id FROM picket_delivery WHERE received_at < ? LIMIT ?)`
	// Comments first: they are found through their pull request's head
	// row, which goes next. A crash between the two leaves head rows
	// that the next run deletes, never comment rows that no run finds.
	pruneComments = `DELETE FROM picket_comment WHERE (repo, pr, fingerprint) IN (
		SELECT c.repo, c.pr, c.fingerprint FROM picket_comment c
		JOIN picket_pr_head h ON h.repo = c.repo AND h.pr = c.pr
		WHERE h.head_sha = '' AND h.updated_at < ? LIMIT ?)`
	// The condition is evaluated again on the row being deleted, so a
	// pull request reopened meanwhile (its head set) keeps its row.
	prunePRHeads = `DELETE FROM picket_pr_head WHERE (repo, pr) IN (
		SELECT repo, pr FROM picket_pr_head WHERE head_sha = '' AND updated_at < ? LIMIT ?)
		AND head_sha = ''`
	pruneCheckRuns = `DELETE FROM picket_check_run WHERE (repo, head_sha) IN (
		SELECT repo, head_sha FROM picket_check_run WHERE updated_at < ? LIMIT ?)`
)

// Prune deletes the rows older than p allows, as of now, in batches of
// p.Batch rows, each its own statement. It reports what it deleted, also
// when it fails or ctx ends part way: what was deleted stays deleted,
// and the next run goes on from there.
func (s *Store) Prune(ctx context.Context, now time.Time, p RetentionPolicy) (PruneStats, error) {
	var st PruneStats
	batch := p.Batch
	if batch <= 0 {
		batch = DefaultPruneBatch
	}
	steps := []struct {
		table string
		keep  time.Duration
		query string
		n     *int64
	}{
		{"picket_delivery", p.Deliveries, pruneDeliveries, &st.Deliveries},
		{"picket_comment", p.ClosedPRs, pruneComments, &st.Comments},
		{"picket_pr_head", p.ClosedPRs, prunePRHeads, &st.PRHeads},
		{"picket_check_run", p.CheckRuns, pruneCheckRuns, &st.CheckRuns},
	}
	for _, step := range steps {
		if step.keep <= 0 {
			continue
		}
		cutoff := now.Add(-step.keep).UnixMilli()
		for {
			if err := ctx.Err(); err != nil {
				return st, fmt.Errorf("prune %s: %w", step.table, err)
			}
			n, err := s.Exec(ctx, step.query, cutoff, batch)
			if err != nil {
				return st, fmt.Errorf("prune %s: %w", step.table, err)
			}
			*step.n += n
			if n < int64(batch) {
				break
			}
		}
	}
	return st, nil
}
