package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The environment variables the package reads.
const (
	// EnvPostgresURL is a superuser URL of a running PostgreSQL cluster.
	EnvPostgresURL = "PICKET_TEST_POSTGRES_URL"
	// EnvRequirePostgres, when "1", turns a missing EnvPostgresURL into a
	// test failure.
	EnvRequirePostgres = "PICKET_REQUIRE_POSTGRES"
)

// SQLiteURL returns the URL of a SQLite file in a fresh temporary
// directory (the file does not exist yet).
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "picket.db")
}

// PostgresURL returns the URL of a new, empty PostgreSQL database, dropped
// when t ends. Without EnvPostgresURL it skips t, or fails it when
// EnvRequirePostgres is "1".
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgresURL)
	if admin == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not set: run the tests under scripts/postgres.sh (make test does)", EnvRequirePostgres, EnvPostgresURL)
		}
		t.Skipf("PostgreSQL half skipped: %s is not set (make test sets it; or run: scripts/postgres.sh go test ./...)", EnvPostgresURL)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: not a URL", EnvPostgresURL)
	}
	name := "picket_test_" + randomHex(t, 8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgresURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		// FORCE ends sessions a failed test left open.
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// URLs returns a fresh database URL of each dialect, SQLite first. The
// PostgreSQL one is present only when EnvPostgresURL is set; when it is
// not and EnvRequirePostgres is "1", t fails.
func URLs(t testing.TB) []string {
	t.Helper()
	urls := []string{SQLiteURL(t)}
	if os.Getenv(EnvPostgresURL) == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not set: run the tests under scripts/postgres.sh (make test does)", EnvRequirePostgres, EnvPostgresURL)
		}
		return urls
	}
	return append(urls, PostgresURL(t))
}

// ForEach runs fn as a subtest per dialect, "sqlite" and "postgres", each
// with a fresh database URL. The PostgreSQL subtest skips (naming
// EnvPostgresURL) or fails as PostgresURL does.
func ForEach(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(fmt.Errorf("random database name: %w", err))
	}
	return hex.EncodeToString(b)
}
