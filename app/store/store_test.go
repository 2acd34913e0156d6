package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/picketsec/picket/app/store/storetest"
)

// openTemp opens a fresh SQLite store (other tests in the package use it).
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "sub", "picket.db")
	return openURL(t, url), url
}

// openURL opens url and closes it when t ends.
func openURL(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDialectAndPool(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		s := openURL(t, url)
		wantPG := strings.HasPrefix(url, "postgres")
		if got := s.Dialect == Postgres; got != wantPG {
			t.Errorf("Dialect = %v for %s", s.Dialect, strings.SplitN(url, ":", 2)[0])
		}
		if got := s.Pool() != nil; got != wantPG {
			t.Errorf("Pool() != nil is %v, want %v", got, wantPG)
		}
		if err := s.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
		if !wantPG {
			return
		}
		if got := s.Pool().Config().MaxConns; got != DefaultPoolMaxConns {
			t.Errorf("MaxConns = %d, want the default %d", got, DefaultPoolMaxConns)
		}
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		if got := openURL(t, url+sep+"pool_max_conns=3").Pool().Config().MaxConns; got != 3 {
			t.Errorf("with pool_max_conns=3 MaxConns = %d", got)
		}
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		for i := range 2 {
			s, err := Open(ctx, url)
			if err != nil {
				t.Fatalf("open %d: %v", i, err)
			}
			v, err := s.SchemaVersion(ctx)
			s.Close()
			if err != nil || v != len(migrations) {
				t.Fatalf("open %d: SchemaVersion = %d, %v; want %d", i, v, err, len(migrations))
			}
		}
	})
}

// TestMigrationsConcurrently starts three stores on one fresh database at
// once, as three replicas do: each must open without error and every
// migration must be recorded exactly once.
func TestMigrationsConcurrently(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		const replicas = 3
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		stores := make([]*Store, replicas)
		start := make(chan struct{})
		for i := range replicas {
			wg.Go(func() {
				<-start
				stores[i], errs[i] = Open(ctx, url)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
				continue
			}
			defer stores[i].Close()
		}
		if t.Failed() {
			return
		}
		var rows, distinct int
		if err := stores[0].QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM picket_schema`).Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != len(migrations) || distinct != len(migrations) {
			t.Errorf("picket_schema has %d rows (%d distinct), want %d", rows, distinct, len(migrations))
		}
	})
}

func TestDeliveryIsRecordedOnceAndSurvivesRestart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		d := DeliveryRow{ID: "72d3162e-cc78-11e3-81ab-4c9367dc0958", Event: "pull_request", Action: "opened", InstallationID: 9, ReceivedAt: time.UnixMilli(1700000000000)}
		for i, want := range []bool{true, false} {
			var inserted bool
			err := s.InTx(ctx, func(tx Tx) (err error) {
				inserted, err = s.InsertDelivery(ctx, tx, d)
				return err
			})
			if err != nil || inserted != want {
				t.Fatalf("insert %d: inserted %v err %v, want %v", i, inserted, err, want)
			}
		}
		s.Close()
		s2 := openURL(t, url)
		got, err := s2.Delivery(ctx, d.ID)
		if err != nil || got != d {
			t.Errorf("Delivery = %+v, %v; want %+v", got, err, d)
		}
	})
}

func TestRollbackLeavesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		boom := errors.New("enqueue failed")
		err := s.InTx(ctx, func(tx Tx) error {
			if _, err := s.InsertDelivery(ctx, tx, DeliveryRow{ID: "x", Event: "ping", ReceivedAt: time.Now()}); err != nil {
				return err
			}
			if err := s.SetHead(ctx, tx, "acme/app", 1, "aaa"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if _, err := s.Delivery(ctx, "x"); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("delivery stored despite rollback: %v", err)
		}
		if _, ok, err := s.Head(ctx, "acme/app", 1); ok || err != nil {
			t.Errorf("head stored despite rollback: ok %v err %v", ok, err)
		}
	})
}

// TestTxAdapter checks what the Tx contract promises on both dialects:
// "?" rebinding, rows affected, sql.ErrNoRows, Rows, and Driver's type.
func TestTxAdapter(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		err := s.InTx(ctx, func(tx Tx) error {
			switch d := tx.Driver().(type) {
			case *sql.Tx:
				if s.Dialect != SQLite {
					t.Errorf("Driver() is *sql.Tx on %v", s.Dialect)
				}
			case pgx.Tx:
				if s.Dialect != Postgres {
					t.Errorf("Driver() is pgx.Tx on %v", s.Dialect)
				}
			default:
				t.Errorf("Driver() is %T", d)
			}
			for pr, sha := range map[int]string{1: "aaa", 2: "bbb", 3: "aaa"} {
				if err := s.SetHead(ctx, tx, "acme/app", pr, sha); err != nil {
					return err
				}
			}
			n, err := tx.Exec(ctx, `UPDATE picket_pr_head SET updated_at = ? WHERE repo = ? AND head_sha = ?`, 5, "acme/app", "aaa")
			if err != nil || n != 2 {
				t.Errorf("Exec rows affected = %d, %v; want 2", n, err)
			}
			var sha string
			if err := tx.QueryRow(ctx, `SELECT head_sha FROM picket_pr_head WHERE repo = ? AND pr = ?`, "acme/app", 9).Scan(&sha); !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("QueryRow of a missing row: %v, want sql.ErrNoRows", err)
			}
			rows, err := tx.Query(ctx, `SELECT pr FROM picket_pr_head WHERE repo = ? AND updated_at = ? ORDER BY pr`, "acme/app", 5)
			if err != nil {
				return err
			}
			var prs []int
			for rows.Next() {
				var pr int
				if err := rows.Scan(&pr); err != nil {
					return err
				}
				prs = append(prs, pr)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if err := rows.Close(); err != nil {
				t.Errorf("Rows.Close: %v", err)
			}
			if fmt.Sprint(prs) != "[1 3]" {
				t.Errorf("Query = %v, want [1 3]", prs)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var sha string
		if err := s.QueryRow(ctx, `SELECT head_sha FROM picket_pr_head WHERE pr = ?`, 42).Scan(&sha); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("Store.QueryRow of a missing row: %v, want sql.ErrNoRows", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	for url, want := range map[string]string{
		"mysql://u:hunter2@h/db": "u:***@h",
		"sqlite:":                "no path",
		// Port 1 on loopback: refused at once, nothing listens there.
		"postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=5": "u:***@127.0.0.1",
		"postgresql://u:hunter2@h:notaport/db":                  "u:***@h",
	} {
		_, err := Open(context.Background(), url)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) = %v, want an error containing %q and no password", url, err, want)
		}
	}
}

func TestRebind(t *testing.T) {
	for _, tc := range []struct {
		d        Dialect
		in, want string
	}{
		{Postgres, "a = ? AND b = ?", "a = $1 AND b = $2"},
		{SQLite, "a = ? AND b = ?", "a = ? AND b = ?"},
	} {
		s := &Store{Dialect: tc.d}
		if got := s.Rebind(tc.in); got != tc.want {
			t.Errorf("Rebind(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestPullRequestsForHead(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		err := s.InTx(ctx, func(tx Tx) error {
			for _, h := range []struct {
				pr  int
				sha string
			}{{1, "aaa"}, {2, "bbb"}, {3, "aaa"}, {1, "ccc"}} {
				if err := s.SetHead(ctx, tx, "acme/app", h.pr, h.sha); err != nil {
					return err
				}
			}
			return s.SetHead(ctx, tx, "other/repo", 9, "aaa")
		})
		if err != nil {
			t.Fatal(err)
		}
		prs, err := s.PullRequestsForHead(ctx, "acme/app", "aaa")
		if err != nil || len(prs) != 1 || prs[0] != 3 {
			t.Errorf("PullRequestsForHead(aaa) = %v, %v; want [3] (PR 1 moved on to ccc)", prs, err)
		}
		if head, ok, err := s.Head(ctx, "acme/app", 1); err != nil || !ok || head != "ccc" {
			t.Errorf("Head(1) = %q %v %v", head, ok, err)
		}
		if _, ok, err := s.Head(ctx, "acme/app", 99); ok || err != nil {
			t.Errorf("Head(99) = ok %v err %v, want none", ok, err)
		}
	})
}

// TestPanicInTxRollsBack: a panic inside InTx (net/http recovers a
// handler's) must roll back and free the connection, or SQLite's only
// connection would stay in the transaction and every later one would hang.
func TestPanicInTxRollsBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the panic to propagate", p)
				}
			}()
			s.InTx(ctx, func(tx Tx) error {
				if err := s.SetHead(ctx, tx, "acme/app", 1, "aaa"); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		err := s.InTx(tctx, func(tx Tx) error { return s.SetHead(tctx, tx, "acme/app", 2, "bbb") })
		if err != nil {
			t.Fatalf("transaction after the panic: %v", err)
		}
		if _, ok, err := s.Head(ctx, "acme/app", 1); ok || err != nil {
			t.Errorf("the panicking transaction's head was kept: ok %v err %v", ok, err)
		}
	})
}

// TestLookupsDoNotWaitForTheWriter: while a write transaction is open (a
// webhook's, or River's), Head, PullRequestsForHead and Delivery still
// answer. On SQLite, whose writer is one connection, they use the
// read-only handle; the test times out if they queue behind the writer.
func TestLookupsDoNotWaitForTheWriter(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		if err := s.InTx(ctx, func(tx Tx) error { return s.SetHead(ctx, tx, "acme/app", 1, "aaa") }); err != nil {
			t.Fatal(err)
		}
		inTx, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- s.InTx(ctx, func(tx Tx) error {
				if err := s.SetHead(ctx, tx, "acme/app", 1, "bbb"); err != nil {
					return err
				}
				close(inTx)
				<-release
				return nil
			})
		}()
		<-inTx
		lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		head, ok, err := s.Head(lctx, "acme/app", 1)
		if err != nil || !ok || head != "aaa" {
			t.Errorf("Head during the write = %q %v %v, want the committed aaa", head, ok, err)
		}
		if prs, err := s.PullRequestsForHead(lctx, "acme/app", "aaa"); err != nil || len(prs) != 1 {
			t.Errorf("PullRequestsForHead during the write = %v %v", prs, err)
		}
		if _, err := s.Delivery(lctx, "none"); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("Delivery during the write: %v, want sql.ErrNoRows", err)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if head, _, _ := s.Head(ctx, "acme/app", 1); head != "bbb" {
			t.Errorf("Head after the commit = %q, want bbb", head)
		}
	})
}
