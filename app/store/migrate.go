package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations is the app's schema, one list for both dialects. Each entry
// runs once, in order, in its own transaction; never edit a released
// entry, append a new one.
var migrations = []string{
	// 1: deliveries, keyed by X-GitHub-Delivery.
	`CREATE TABLE picket_delivery (
		id              TEXT PRIMARY KEY,
		event           TEXT NOT NULL,
		action          TEXT NOT NULL,
		installation_id BIGINT NOT NULL,
		received_at     BIGINT NOT NULL
	)`,
	// 2: installations, recorded from installation events.
	`CREATE TABLE picket_installation (
		id         BIGINT PRIMARY KEY,
		account    TEXT NOT NULL,
		suspended  BOOLEAN NOT NULL DEFAULT FALSE,
		deleted    BOOLEAN NOT NULL DEFAULT FALSE,
		updated_at BIGINT NOT NULL
	)`,
	// 3: the newest head of each pull request; a job whose head is older
	// has been superseded, and an empty head means the pull request closed.
	`CREATE TABLE picket_pr_head (
		repo       TEXT NOT NULL,
		pr         BIGINT NOT NULL,
		head_sha   TEXT NOT NULL,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (repo, pr)
	)`,
}

// migrate applies the migrations not yet applied. It is idempotent and
// safe to run from several processes at once: the version row insert is
// the lock, and a loser of that race rolls back and re-reads.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS picket_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for v := 1; v <= len(migrations); v++ {
		err := s.InTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM picket_schema WHERE version = ?`), v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO picket_schema (version, applied_at) VALUES (?, ?)`), v, time.Now().UnixMilli()); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, migrations[v-1])
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d: %w", v, err)
		}
	}
	return nil
}

// SchemaVersion returns the highest applied app migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, `SELECT MAX(version) FROM picket_schema`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}
