package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
	DB      *sql.DB
	Dialect Dialect
	url     string
}

// DefaultURL is the embedded default database.
const DefaultURL = "sqlite:picket.db"

// Open opens the database named by url and applies the app's migrations.
// River's migrations are applied by the queue (package jobs), which owns
// the River driver.
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := open(url)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.DB.Close()
		return nil, err
	}
	return s, nil
}

func open(url string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		return openSQLite(strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return nil, errors.New("open database: PostgreSQL support arrives with the many-replica set-up (issue 6); use a sqlite: URL")
	}
	return nil, fmt.Errorf("open database: unsupported URL %q: want sqlite:PATH or postgres://…", redactURL(url))
}

// openSQLite opens a SQLite file with settings that suit one writer and
// many readers: WAL, a busy timeout, foreign keys, and one connection, as
// River's SQLite driver recommends (SQLite allows one writer at a time).
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
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &Store{DB: db, Dialect: SQLite, url: "sqlite:" + path}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.DB.Close() }

// Ping reports whether the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

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
