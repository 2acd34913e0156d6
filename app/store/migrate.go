package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrate applies the migrations not yet applied. It is idempotent and
// safe to run from several processes at once: the version row insert is
// the lock, and a loser of that race rolls back and re-reads.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS picket_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for v := 1; v <= len(migrations); v++ {
		err := s.InTx(ctx, func(tx Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM picket_schema WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, `INSERT INTO picket_schema (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixMilli()); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, migrations[v-1])
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
