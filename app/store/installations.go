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
	Action       string
	ReposAdded   []string // owner/name
	ReposRemoved []string // owner/name
}

// RecordInstallation records an installation event inside tx.
func (s *Store) RecordInstallation(ctx context.Context, tx Tx, ev InstallationEvent) error {
	suspended := ev.Action == "suspend"
	deleted := ev.Action == "deleted"
	_, err := tx.Exec(ctx, `INSERT INTO picket_installation (id, account, suspended, deleted, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, suspended = excluded.suspended,
			deleted = excluded.deleted, updated_at = excluded.updated_at`,
		ev.ID, ev.Account, suspended, deleted, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("record installation %d: %w", ev.ID, err)
	}
	return nil
}
