package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// Dialect is the SQL dialect of the database.
type Dialect int

// The dialects.
const (
	SQLite Dialect = iota + 1
	Postgres
)

// Store is an open database.
type Store struct {
	// DB runs the app's SQL outside transactions: one connection on
	// SQLite, a database/sql handle over the pgx pool on PostgreSQL.
	DB      *sql.DB
	Dialect Dialect
	url     string
	pool    *pgxpool.Pool // PostgreSQL only
	// read serves the store's own lookups (Head, Delivery): on a
	// SQLite file a second, read-only handle, so a lookup never waits
	// behind the single writer connection; otherwise DB.
	read *sql.DB
}

// DefaultURL is the embedded default database.
const DefaultURL = "sqlite:picket.db"

// Open opens the database named by url and applies the app's migrations.
// River's migrations are applied by the queue (package jobs), which owns
// the River driver.
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func open(ctx context.Context, url string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		return openSQLite(strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url)
	}
	return nil, fmt.Errorf("open database: unsupported URL %q: want sqlite:PATH or postgres://…", redactURL(url))
}

// pingSQLite opens the first connection, which switches a new file to
// WAL. Connections of several processes doing that at once can each hold
// the shared lock and want the exclusive one: SQLite then answers
// SQLITE_BUSY at once instead of calling the busy handler (it would
// deadlock), so the attempt is repeated for up to busyRetries.
func pingSQLite(db *sql.DB) error {
	const busyRetries = 10 * time.Second
	deadline := time.Now().Add(busyRetries)
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 200*time.Millisecond) {
		err := db.Ping()
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(delay)
	}
}

// openSQLite opens a SQLite file with settings that suit one writer and
// many readers: WAL, a busy timeout, foreign keys, and one connection, as
// River's SQLite driver recommends (SQLite allows one writer at a time).
// Transactions begin IMMEDIATE, taking the write lock up front, so two
// processes on one file wait for each other (busy_timeout) instead of
// failing when a reader upgrades to a writer. synchronous(NORMAL) in WAL
// mode syncs at checkpoints, not at every commit: a power loss may lose
// the last commits, never corrupt the file.
func openSQLite(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open database: sqlite: URL has no path")
	}
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("open database: %w", err)
			}
		}
	}
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate&"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := pingSQLite(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{DB: db, Dialect: SQLite, url: "sqlite:" + path, read: db}
	if path != ":memory:" {
		// The file is in WAL mode now (the writer's Ping set it), so
		// readers see every committed write without blocking it.
		read, err := sql.Open("sqlite", "file:"+path+"?mode=ro&"+pragmas)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		read.SetMaxOpenConns(4)
		s.read = read
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil && s.read != s.DB {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.DB.Close())
	if s.pool != nil {
		s.pool.Close()
	}
	return errors.Join(errs...)
}

// Ping reports whether the database answers; /readyz uses it. It pings
// the writer handle: the one a webhook's transaction needs.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// reader is the handle for the store's own read-only lookups.
func (s *Store) reader() *sql.DB {
	if s.read != nil {
		return s.read
	}
	return s.DB
}

// Rebind turns the "?" placeholders the app's SQL is written with into
// the dialect's ("$1", "$2"… on PostgreSQL).
func (s *Store) Rebind(query string) string {
	if s.Dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// redactURL hides a password in a database URL for error messages.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	userinfo := u[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return u[:scheme+3] + user + ":***" + u[at:]
	}
	return u
}
