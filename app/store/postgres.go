package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// DefaultPoolMaxConns is the connections a PostgreSQL store may open
// unless its URL sets pool_max_conns.
const DefaultPoolMaxConns = 16

// openPostgres opens a pgx pool on url and a database/sql handle over the
// same pool, so Store.DB is a *sql.DB on both dialects while transactions
// (and River's jobs inside them) use pgx natively.
func openPostgres(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors can quote the URL; say only what failed.
		return nil, fmt.Errorf("open database %s: invalid PostgreSQL URL", redactURL(url))
	}
	if !strings.Contains(url, "pool_max_conns=") {
		// pgx's default (4 on a small machine) is too few: River holds one
		// connection for LISTEN and its producer, elector and maintenance
		// services take others while webhooks and running jobs write.
		cfg.MaxConns = DefaultPoolMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redactURL(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", redactURL(url), err)
	}
	db := stdlib.OpenDBFromPool(pool)
	return &Store{DB: db, Dialect: Postgres, url: url, pool: pool}, nil
}

// Pool is the pgx pool of a PostgreSQL store (River's pgx driver runs on
// it); nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// pgxTx is a Tx on a pgx transaction (PostgreSQL).
type pgxTx struct {
	tx pgx.Tx
	s  *Store
}

func (t pgxTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, t.s.Rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (t pgxTx) QueryRow(ctx context.Context, q string, args ...any) Row {
	return pgxRow{t.tx.QueryRow(ctx, t.s.Rebind(q), args...)}
}

func (t pgxTx) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	rows, err := t.tx.Query(ctx, t.s.Rebind(q), args...)
	if err != nil {
		return nil, err
	}
	return pgxRows{rows}, nil
}

func (t pgxTx) Driver() any { return t.tx }

// pgxRow reports pgx.ErrNoRows as sql.ErrNoRows, as a *sql.Row does.
type pgxRow struct{ row pgx.Row }

func (r pgxRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}

// pgxRows gives pgx.Rows the Close() error of *sql.Rows.
type pgxRows struct{ rows pgx.Rows }

func (r pgxRows) Next() bool             { return r.rows.Next() }
func (r pgxRows) Scan(dest ...any) error { return r.rows.Scan(dest...) }
func (r pgxRows) Err() error             { return r.rows.Err() }
func (r pgxRows) Close() error {
	r.rows.Close()
	return r.rows.Err()
}

// inPgxTx is InTx on PostgreSQL.
func (s *Store) inPgxTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback(context.WithoutCancel(ctx)) // the connection goes back to the pool clean
			panic(p)
		}
	}()
	if err := fn(pgxTx{tx: tx, s: s}); err != nil {
		// Rollback with a context of its own: ctx may be the reason fn
		// failed, and the connection must go back to the pool clean.
		if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
