package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "sub", "picket.db")
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}

func TestMigrationsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	s, url := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
	}
	s.Close()
	again, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	if v, _ := again.SchemaVersion(ctx); v != len(migrations) {
		t.Errorf("after reopen SchemaVersion = %d", v)
	}
}

func TestDeliveryIsRecordedOnceAndSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	s, url := openTemp(t)
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
	s2, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Delivery(ctx, d.ID)
	if err != nil || got != d {
		t.Errorf("Delivery = %+v, %v; want %+v", got, err, d)
	}
}

func TestRollbackLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	boom := errors.New("enqueue failed")
	err := s.InTx(ctx, func(tx Tx) error {
		if _, err := s.InsertDelivery(ctx, tx, DeliveryRow{ID: "x", Event: "ping", ReceivedAt: time.Now()}); err != nil {
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
}

func TestOpenErrors(t *testing.T) {
	for url, want := range map[string]string{
		"mysql://u:hunter2@h/db": "u:***@h",
		"sqlite:":                "no path",
		"postgres://u:pw@h/db":   "issue 6",
	} {
		_, err := Open(context.Background(), url)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) = %v, want an error containing %q and no password", url, err, want)
		}
	}
}

func TestRebind(t *testing.T) {
	s := &Store{Dialect: Postgres}
	if got := s.Rebind("a = ? AND b = ?"); got != "a = $1 AND b = $2" {
		t.Errorf("Rebind = %q", got)
	}
}

func TestPullRequestsForHead(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
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
}
