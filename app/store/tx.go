package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Tx is a transaction on either dialect. Its queries are written with "?"
// placeholders and rebound for the dialect by the Tx itself. A Row's Scan
// reports a missing row as sql.ErrNoRows on both dialects.
//
// The queue (package jobs) inserts River jobs inside the same transaction
// through Driver: a *sql.Tx on SQLite, a pgx.Tx on PostgreSQL.
type Tx interface {
	// Exec runs a statement and returns the rows it affected.
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	// QueryRow runs a query expected to return at most one row.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query returning rows; the caller closes them.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// Driver is the driver's own transaction (*sql.Tx or pgx.Tx).
	Driver() any
}

// Row is one result row.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// sqlTx is a Tx on database/sql (SQLite).
type sqlTx struct {
	tx *sql.Tx
	s  *Store
}

func (t sqlTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, t.s.Rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t sqlTx) QueryRow(ctx context.Context, q string, args ...any) Row {
	return t.tx.QueryRowContext(ctx, t.s.Rebind(q), args...)
}

func (t sqlTx) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	return t.tx.QueryContext(ctx, t.s.Rebind(q), args...)
}

func (t sqlTx) Driver() any { return t.tx }

// InTx runs fn in a transaction, committing when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(tx Tx) error) error {
	if s.pool != nil {
		return s.inPgxTx(ctx, fn)
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// A panic in fn (net/http recovers a handler's) must not leave the
	// transaction open: on SQLite it would hold the only connection.
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(sqlTx{tx: tx, s: s}); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Exec runs a statement outside a transaction ("?" placeholders).
func (s *Store) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.DB.ExecContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// QueryRow runs a one-row query outside a transaction ("?" placeholders).
func (s *Store) QueryRow(ctx context.Context, q string, args ...any) Row {
	return s.DB.QueryRowContext(ctx, s.Rebind(q), args...)
}

// Query runs a query outside a transaction ("?" placeholders).
func (s *Store) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	return s.DB.QueryContext(ctx, s.Rebind(q), args...)
}
