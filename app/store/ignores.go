package store

import (
	"context"
	"fmt"
	"time"
)

// Ignore is a "/picket ignore <id> <reason>" decision: who ignored which
// finding, where and why.
type Ignore struct {
	Repo string // owner/name
	// PR is the pull request the ignore applies to; 0 means every pull
	// request of the repository ("--repo").
	PR int
	// ID is what the user typed: a finding's short id (a fingerprint
	// prefix) or its whole fingerprint.
	ID     string
	Reason string
	By     string // the GitHub login that asked
	At     time.Time
}

// AddIgnore records an ignore. Ignoring the same id again in the same
// scope replaces the reason, the author and the time: the latest word
// counts, and there is still one row.
func (s *Store) AddIgnore(ctx context.Context, ig Ignore) error {
	if ig.Repo == "" || ig.ID == "" {
		return fmt.Errorf("add ignore: repository and id are required")
	}
	_, err := s.Exec(ctx, `INSERT INTO picket_ignore (repo, pr, id, reason, by_login, at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, pr, id) DO UPDATE SET reason = excluded.reason, by_login = excluded.by_login, at = excluded.at`,
		ig.Repo, ig.PR, ig.ID, ig.Reason, ig.By, ig.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("add ignore of %s in %s: %w", ig.ID, scopeName(ig.Repo, ig.PR), err)
	}
	return nil
}

// Ignores returns the ignores that apply to pull request pr of repo: its
// own and the repository's (PR 0), repository-wide first, then by id.
// With pr 0 it returns the repository's only.
func (s *Store) Ignores(ctx context.Context, repo string, pr int) ([]Ignore, error) {
	rows, err := s.lookup(ctx, `SELECT pr, id, reason, by_login, at FROM picket_ignore
		WHERE repo = ? AND (pr = ? OR pr = 0) ORDER BY pr, id`, repo, pr)
	if err != nil {
		return nil, fmt.Errorf("ignores of %s: %w", scopeName(repo, pr), err)
	}
	defer rows.Close()
	var out []Ignore
	for rows.Next() {
		ig := Ignore{Repo: repo}
		var p, ms int64
		if err := rows.Scan(&p, &ig.ID, &ig.Reason, &ig.By, &ms); err != nil {
			return nil, fmt.Errorf("ignores of %s: %w", scopeName(repo, pr), err)
		}
		ig.PR, ig.At = int(p), time.UnixMilli(ms)
		out = append(out, ig)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ignores of %s: %w", scopeName(repo, pr), err)
	}
	return out, nil
}

// RemoveIgnore deletes the ignore of id in exactly this scope (pr 0: the
// repository's) and reports whether there was one.
func (s *Store) RemoveIgnore(ctx context.Context, repo string, pr int, id string) (bool, error) {
	n, err := s.Exec(ctx, `DELETE FROM picket_ignore WHERE repo = ? AND pr = ? AND id = ?`, repo, pr, id)
	if err != nil {
		return false, fmt.Errorf("remove ignore of %s in %s: %w", id, scopeName(repo, pr), err)
	}
	return n > 0, nil
}

// scopeName is "owner/name#12", or "owner/name" for the repository.
func scopeName(repo string, pr int) string {
	if pr == 0 {
		return repo
	}
	return fmt.Sprintf("%s#%d", repo, pr)
}
