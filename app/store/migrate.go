package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LockMigrations is the LockTx key the app's migrations hold ("picket"
// in ASCII); other keys must differ.
const LockMigrations int64 = 0x7069636b6574

// LockTx serialises tx with every other transaction holding the same key,
// across processes, until tx ends. On PostgreSQL it is a transaction-level
// advisory lock; on SQLite every transaction already holds the database's
// write lock from its start (BEGIN IMMEDIATE), so it does nothing.
func (s *Store) LockTx(ctx context.Context, tx Tx, key int64) error {
	if s.Dialect != Postgres {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, key); err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	return nil
}

// migrate applies the migrations not yet applied, each in its own
// transaction. It is idempotent and safe to run from several processes
// at once: each transaction holds LockMigrations (PostgreSQL) or the
// write lock (SQLite) and re-reads the applied versions under it, so a
// process that waited finds the work done. Creating the version table
// happens under the lock too: concurrent CREATE TABLE IF NOT EXISTS can
// fail on PostgreSQL.
func (s *Store) migrate(ctx context.Context) error {
	if v, err := s.SchemaVersion(ctx); err == nil && v >= len(migrations) {
		return nil // the common start: nothing to do, no lock taken
	}
	err := s.InTx(ctx, func(tx Tx) error {
		if err := s.LockTx(ctx, tx, LockMigrations); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS picket_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for v := 1; v <= len(migrations); v++ {
		err := s.InTx(ctx, func(tx Tx) error {
			if err := s.LockTx(ctx, tx, LockMigrations); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM picket_schema WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO picket_schema (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixMilli())
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
