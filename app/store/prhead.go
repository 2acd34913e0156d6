package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetHead records head as the newest head of repo#pr inside tx; an empty
// head marks the pull request closed. Work queued for any other head is
// superseded.
func (s *Store) SetHead(ctx context.Context, tx Tx, repo string, pr int, head string) error {
	_, err := tx.Exec(ctx, `INSERT INTO picket_pr_head (repo, pr, head_sha, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (repo, pr) DO UPDATE SET head_sha = excluded.head_sha, updated_at = excluded.updated_at`,
		repo, pr, head, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("set head of %s#%d: %w", repo, pr, err)
	}
	return nil
}

// Head returns the newest recorded head of repo#pr; ok is false when none
// is recorded.
func (s *Store) Head(ctx context.Context, repo string, pr int) (head string, ok bool, err error) {
	err = s.reader().QueryRowContext(ctx, s.Rebind(`SELECT head_sha FROM picket_pr_head WHERE repo = ? AND pr = ?`), repo, pr).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("head of %s#%d: %w", repo, pr, err)
	}
	return head, true, nil
}

// PullRequestsForHead returns the open pull requests of repo whose newest
// recorded head is sha: how a check_run event from a fork, which carries
// no pull requests, is mapped back to its pull request.
func (s *Store) PullRequestsForHead(ctx context.Context, repo, sha string) ([]int, error) {
	rows, err := s.reader().QueryContext(ctx, s.Rebind(`SELECT pr FROM picket_pr_head WHERE repo = ? AND head_sha = ? ORDER BY pr`), repo, sha)
	if err != nil {
		return nil, fmt.Errorf("pull requests of %s at %.12s: %w", repo, sha, err)
	}
	defer rows.Close()
	var prs []int
	for rows.Next() {
		var pr int
		if err := rows.Scan(&pr); err != nil {
			return nil, fmt.Errorf("pull requests of %s at %.12s: %w", repo, sha, err)
		}
		prs = append(prs, pr)
	}
	return prs, rows.Err()
}
