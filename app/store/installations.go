package store

import (
	"context"
	"fmt"
	"time"
)

// InstallationEvent is what an installation or installation_repositories
// delivery says about an installation.
type InstallationEvent struct {
	ID      int64
	Account string // the account's login
	// Action is the delivery's action: created, deleted, suspend,
	// unsuspend, new_permissions_accepted, added, removed.
	Action string
	// ReposAdded are the repositories the installation gained (owner/name):
	// those of an installation_repositories "added", or all those listed
	// by an installation "created".
	ReposAdded   []string
	ReposRemoved []string // owner/name
}

// Installation is the recorded state of an installation.
type Installation struct {
	ID        int64
	Account   string
	Suspended bool
	Deleted   bool
	UpdatedAt time.Time
}

// RecordInstallation records an installation event inside tx: the
// installation's state and the repositories it gained or lost.
//
// Each action changes only what it is about: "suspend" and "unsuspend"
// the suspended flag, "created" and "deleted" the deleted flag (a
// re-installation with the same id revives it), and the others only the
// account and the repositories. A deleted installation loses its
// repositories.
func (s *Store) RecordInstallation(ctx context.Context, tx Tx, ev InstallationEvent) error {
	var set string
	switch ev.Action {
	case "suspend":
		set = ", suspended = TRUE"
	case "unsuspend":
		set = ", suspended = FALSE"
	case "created":
		set = ", deleted = FALSE, suspended = FALSE"
	case "deleted":
		set = ", deleted = TRUE"
	}
	now := time.Now().UnixMilli()
	_, err := tx.Exec(ctx, `INSERT INTO picket_installation (id, account, suspended, deleted, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET account = CASE WHEN excluded.account = '' THEN picket_installation.account ELSE excluded.account END,
			updated_at = excluded.updated_at`+set,
		ev.ID, ev.Account, ev.Action == "suspend", ev.Action == "deleted", now)
	if err != nil {
		return fmt.Errorf("record installation %d: %w", ev.ID, err)
	}
	if ev.Action == "deleted" {
		if _, err := tx.Exec(ctx, `DELETE FROM picket_installation_repo WHERE installation_id = ?`, ev.ID); err != nil {
			return fmt.Errorf("record installation %d: forget repositories: %w", ev.ID, err)
		}
		return nil
	}
	for _, repo := range ev.ReposAdded {
		if _, err := tx.Exec(ctx, `INSERT INTO picket_installation_repo (installation_id, repo, added_at) VALUES (?, ?, ?)
			ON CONFLICT (installation_id, repo) DO NOTHING`, ev.ID, repo, now); err != nil {
			return fmt.Errorf("record installation %d: add %s: %w", ev.ID, repo, err)
		}
	}
	for _, repo := range ev.ReposRemoved {
		if _, err := tx.Exec(ctx, `DELETE FROM picket_installation_repo WHERE installation_id = ? AND repo = ?`, ev.ID, repo); err != nil {
			return fmt.Errorf("record installation %d: remove %s: %w", ev.ID, repo, err)
		}
	}
	return nil
}

// Installation returns the recorded installation id, or an error wrapping
// sql.ErrNoRows when none is recorded.
func (s *Store) Installation(ctx context.Context, id int64) (Installation, error) {
	in := Installation{ID: id}
	var ms int64
	err := s.lookupRow(ctx, `SELECT account, suspended, deleted, updated_at FROM picket_installation WHERE id = ?`, id).
		Scan(&in.Account, &in.Suspended, &in.Deleted, &ms)
	if err != nil {
		return Installation{}, fmt.Errorf("installation %d: %w", id, err)
	}
	in.UpdatedAt = time.UnixMilli(ms)
	return in, nil
}

// InstallationRepos returns the repositories (owner/name) recorded for
// installation id, sorted; none for an unknown or deleted installation.
func (s *Store) InstallationRepos(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.lookup(ctx, `SELECT repo FROM picket_installation_repo WHERE installation_id = ? ORDER BY repo`, id)
	if err != nil {
		return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
	}
	defer rows.Close()
	var repos []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
		}
		repos = append(repos, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
	}
	return repos, nil
}

// ActiveInstallations returns the installations neither deleted nor
// suspended, by id: those the reconciler sweeps.
func (s *Store) ActiveInstallations(ctx context.Context) ([]Installation, error) {
	rows, err := s.lookup(ctx, `SELECT id, account, suspended, deleted, updated_at FROM picket_installation
		WHERE NOT deleted AND NOT suspended ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("active installations: %w", err)
	}
	defer rows.Close()
	var out []Installation
	for rows.Next() {
		var in Installation
		var ms int64
		if err := rows.Scan(&in.ID, &in.Account, &in.Suspended, &in.Deleted, &ms); err != nil {
			return nil, fmt.Errorf("active installations: %w", err)
		}
		in.UpdatedAt = time.UnixMilli(ms)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("active installations: %w", err)
	}
	return out, nil
}
