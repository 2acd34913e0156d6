// Package storetest gives tests a fresh database of each dialect: a SQLite
// file in t.TempDir(), and a new PostgreSQL database on the cluster named
// by PICKET_TEST_POSTGRES_URL (a superuser URL), dropped when the test
// ends. `make test` starts a throwaway cluster (scripts/postgres.sh) and
// sets PICKET_REQUIRE_POSTGRES=1, under which a missing URL fails the test
// instead of skipping the PostgreSQL half.
//
// It imports only the pgx driver, never package store, so store's own
// tests can use it.
package storetest
