package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/picketsec/picket/scanners"
)

// The methods in this file implement app/publish.State (asserted in the
// tests; store does not import publish): the GitHub ids Picket created,
// so that a retried or repeated publish, on any replica, reuses them.

// CheckRun returns the check run recorded for a head commit of repo; ok is
// false when none is.
func (s *Store) CheckRun(ctx context.Context, repo, headSHA string) (id int64, ok bool, err error) {
	err = s.lookupRow(ctx, `SELECT run_id FROM picket_check_run WHERE repo = ? AND head_sha = ?`, repo, headSHA).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("check run of %s at %.12s: %w", repo, headSHA, err)
	}
	return id, true, nil
}

// SetCheckRun records the check run of a head commit, replacing any
// recorded before.
func (s *Store) SetCheckRun(ctx context.Context, repo, headSHA string, id int64) error {
	_, err := s.Exec(ctx, `INSERT INTO picket_check_run (repo, head_sha, run_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo, head_sha) DO UPDATE SET run_id = excluded.run_id, updated_at = excluded.updated_at`,
		repo, headSHA, id, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("set check run of %s at %.12s: %w", repo, headSHA, err)
	}
	return nil
}

// Comments returns the review comment id per finding fingerprint on pull
// request pr of repo (an empty map when there are none).
func (s *Store) Comments(ctx context.Context, repo string, pr int) (map[scanners.Fingerprint]int64, error) {
	rows, err := s.lookup(ctx, `SELECT fingerprint, comment_id FROM picket_comment WHERE repo = ? AND pr = ?`, repo, pr)
	if err != nil {
		return nil, fmt.Errorf("comments of %s#%d: %w", repo, pr, err)
	}
	defer rows.Close()
	out := map[scanners.Fingerprint]int64{}
	for rows.Next() {
		var fp string
		var id int64
		if err := rows.Scan(&fp, &id); err != nil {
			return nil, fmt.Errorf("comments of %s#%d: %w", repo, pr, err)
		}
		out[scanners.Fingerprint(fp)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments of %s#%d: %w", repo, pr, err)
	}
	return out, nil
}

// SetComment records the comment posted for a fingerprint, replacing any
// recorded before. It is one upsert, so concurrent calls for one key
// leave one row.
func (s *Store) SetComment(ctx context.Context, repo string, pr int, fp scanners.Fingerprint, id int64) error {
	_, err := s.Exec(ctx, `INSERT INTO picket_comment (repo, pr, fingerprint, comment_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (repo, pr, fingerprint) DO UPDATE SET comment_id = excluded.comment_id, updated_at = excluded.updated_at`,
		repo, pr, string(fp), id, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("set comment of %s#%d for %s: %w", repo, pr, fp.Short(), err)
	}
	return nil
}

// lookupRow and lookup run the tables' read-only queries ("?"
// placeholders) on the store's read handle: on a SQLite file a read-only
// pool that never waits behind the single writer connection (webhook
// acknowledgements do), on PostgreSQL the pool itself.
func (s *Store) lookupRow(ctx context.Context, q string, args ...any) Row {
	return s.reader().QueryRowContext(ctx, s.Rebind(q), args...)
}

func (s *Store) lookup(ctx context.Context, q string, args ...any) (Rows, error) {
	return s.reader().QueryContext(ctx, s.Rebind(q), args...)
}
