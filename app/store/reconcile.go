package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Mark returns the reconciler's watermark name; ok is false when none is
// recorded yet.
func (s *Store) Mark(ctx context.Context, name string) (at time.Time, ok bool, err error) {
	var ms int64
	err = s.QueryRow(ctx, `SELECT at FROM picket_reconcile_mark WHERE name = ?`, name).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("watermark %s: %w", name, err)
	}
	return time.UnixMilli(ms), true, nil
}

// SetMark records the watermark name. It never moves a watermark back:
// two runs racing (a leader change mid-run) keep the later one.
func (s *Store) SetMark(ctx context.Context, name string, at time.Time) error {
	_, err := s.Exec(ctx, `INSERT INTO picket_reconcile_mark (name, at, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET at = excluded.at, updated_at = excluded.updated_at
		WHERE picket_reconcile_mark.at < excluded.at`, name, at.UnixMilli(), time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("set watermark %s: %w", name, err)
	}
	return nil
}

// HasDelivery reports whether the delivery with this X-GitHub-Delivery id
// was recorded (the app accepted it at least once).
func (s *Store) HasDelivery(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM picket_delivery WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("delivery %s: %w", id, err)
	}
	return n > 0, nil
}

// Redelivery returns how many redeliveries of guid the reconciler has
// asked for and when it last did (zero values when none).
func (s *Store) Redelivery(ctx context.Context, guid string) (attempts int, last time.Time, err error) {
	var n, ms int64
	err = s.QueryRow(ctx, `SELECT attempts, requested_at FROM picket_redelivery WHERE guid = ?`, guid).Scan(&n, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("redeliveries of %s: %w", guid, err)
	}
	return int(n), time.UnixMilli(ms), nil
}

// AddRedelivery counts one more redelivery of guid asked for at at.
func (s *Store) AddRedelivery(ctx context.Context, guid string, at time.Time) error {
	_, err := s.Exec(ctx, `INSERT INTO picket_redelivery (guid, attempts, requested_at) VALUES (?, 1, ?)
		ON CONFLICT (guid) DO UPDATE SET attempts = picket_redelivery.attempts + 1, requested_at = excluded.requested_at`,
		guid, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("count redelivery of %s: %w", guid, err)
	}
	return nil
}

// ForgetRedeliveries drops the counts of redeliveries asked for before
// cutoff (GitHub no longer lists those deliveries) and reports how many.
func (s *Store) ForgetRedeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	n, err := s.Exec(ctx, `DELETE FROM picket_redelivery WHERE requested_at < ?`, cutoff.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("forget redeliveries: %w", err)
	}
	return n, nil
}

// SetHeadIfStale records head as repo#pr's newest head inside tx unless a
// head was recorded at or after seen (a webhook that arrived after the
// caller read the head from GitHub knows better). It reports whether the
// head is now head.
func (s *Store) SetHeadIfStale(ctx context.Context, tx Tx, repo string, pr int, head string, seen time.Time) (bool, error) {
	_, err := tx.Exec(ctx, `INSERT INTO picket_pr_head (repo, pr, head_sha, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo, pr) DO UPDATE SET head_sha = excluded.head_sha, updated_at = excluded.updated_at
		WHERE picket_pr_head.updated_at < excluded.updated_at`,
		repo, pr, head, seen.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("set head of %s#%d: %w", repo, pr, err)
	}
	var cur string
	if err := tx.QueryRow(ctx, `SELECT head_sha FROM picket_pr_head WHERE repo = ? AND pr = ?`, repo, pr).Scan(&cur); err != nil {
		return false, fmt.Errorf("head of %s#%d: %w", repo, pr, err)
	}
	return cur == head, nil
}
