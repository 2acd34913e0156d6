package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"
)

// Budget allows at most limit content-creating requests per installation
// in any window of per, counted across every replica on the database. It
// has the semantics of app/gh.WindowBudget (a booking is a send time,
// possibly in the future; a request may go once the limit-th most recent
// booking has left the window), with the bookings kept in the
// picket_budget_send table instead of memory.
//
// It satisfies app/gh.Budget's Reserve except for the error type: store
// must not import a GitHub client, so a full budget is a
// *BudgetExhaustedError, which app/server maps to gh's RateLimited error.
type Budget struct {
	s     *Store
	limit int
	per   time.Duration
	now   func() time.Time
}

// NewBudget returns a database-coordinated budget of limit requests per
// installation in any window of per, reading time from now (time.Now if
// nil). A limit of 0 or less disables it. The replicas' clocks are
// assumed to agree to well within per; times are kept in milliseconds.
func NewBudget(s *Store, limit int, per time.Duration, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	return &Budget{s: s, limit: limit, per: per, now: now}
}

// BudgetExhaustedError says a request would have had to wait longer than
// the caller allowed; nothing was booked.
type BudgetExhaustedError struct {
	Installation int64
	Limit        int
	Per          time.Duration
	// Wait is how long the request would have had to wait.
	Wait time.Duration
}

// Error implements error.
func (e *BudgetExhaustedError) Error() string {
	return fmt.Sprintf("installation %d has used its %d content-creating requests per %s (next free in %s)",
		e.Installation, e.Limit, e.Per, e.Wait)
}

// Reserve books one content-creating request for installation and returns
// how long the caller must wait before sending it (0: now). When that
// wait would exceed maxWait nothing is booked and the error is a
// *BudgetExhaustedError. Other errors are database failures.
//
// The booking is one transaction. On PostgreSQL it first takes a
// transaction-scoped advisory lock on the installation, so replicas
// booking for one installation queue up while others proceed; on SQLite
// the transaction's write lock (its first statement writes) does the
// same for the whole file.
func (b *Budget) Reserve(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if b.limit <= 0 {
		return 0, nil
	}
	var wait time.Duration
	err := b.s.InTx(ctx, func(tx Tx) error {
		if b.s.Dialect == Postgres {
			// The lock is held until commit or rollback. Its key is a hash,
			// so it cannot collide with River's or anyone's small keys in
			// a way that matters (a collision only serialises two
			// bookings).
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, budgetLockKey(installation)); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		now := b.now()
		nowMs := now.UnixMilli()
		// Bookings that left the window are of no further use. Writing
		// first also takes SQLite's write lock before reading.
		if _, err := tx.Exec(ctx, `DELETE FROM picket_budget_send WHERE installation_id = ? AND send_at <= ?`,
			installation, nowMs-b.per.Milliseconds()); err != nil {
			return fmt.Errorf("prune: %w", err)
		}
		recent, err := b.recent(ctx, tx, installation)
		if err != nil {
			return err
		}
		at := nowMs
		if len(recent) >= b.limit {
			// recent is newest first: the limit-th most recent booking
			// must leave the window first.
			at = max(recent[b.limit-1]+b.per.Milliseconds(), nowMs)
		}
		wait = time.Duration(at-nowMs) * time.Millisecond
		if wait > maxWait {
			return &BudgetExhaustedError{Installation: installation, Limit: b.limit, Per: b.per, Wait: wait}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO picket_budget_send (installation_id, send_at) VALUES (?, ?)`, installation, at); err != nil {
			return fmt.Errorf("book: %w", err)
		}
		return nil
	})
	if err != nil {
		var full *BudgetExhaustedError
		if errors.As(err, &full) {
			return 0, full
		}
		return 0, fmt.Errorf("reserve content budget of installation %d: %w", installation, err)
	}
	return wait, nil
}

// recent returns the newest limit bookings of installation, newest first.
func (b *Budget) recent(ctx context.Context, tx Tx, installation int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT send_at FROM picket_budget_send WHERE installation_id = ?
		ORDER BY send_at DESC LIMIT `+strconv.Itoa(b.limit), installation)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("count: %w", err)
		}
		out = append(out, at)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	return out, nil
}

// budgetLockKey is the advisory lock key of an installation's budget.
func budgetLockKey(installation int64) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "picket/budget/%d", installation)
	return int64(h.Sum64())
}
