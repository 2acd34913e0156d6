package server

import (
	"context"
	"testing"
	"time"

	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

func TestPRLeaseKeyIsNegativeAndStable(t *testing.T) {
	a, b := prLeaseKey("Octo/App", 1), prLeaseKey("octo/app", 1)
	if a >= 0 || a != b {
		t.Errorf("prLeaseKey = %d, %d; want one negative key for both spellings", a, b)
	}
	if prLeaseKey("octo/app", 2) == a {
		t.Error("pull requests 1 and 2 share a key")
	}
}

// The publish lease of a pull request is held by one scan at a time,
// across stores (replicas) on one database; another pull request's is
// independent.
func TestPublishLeaseSerialisesOnePullRequest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		open := func() *store.Store {
			st, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}
		a, b := open(), open()
		lockA := pipeline.SlotLock(a.AcquireSlot, prLeaseKey, "replica-a", time.Minute, 10*time.Millisecond)
		lockB := pipeline.SlotLock(b.AcquireSlot, prLeaseKey, "replica-b", time.Minute, 10*time.Millisecond)
		release, err := lockA(ctx, "octo/app", 7)
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
		defer cancel()
		if _, err := lockB(short, "octo/app", 7); err == nil {
			t.Fatal("replica b took the lease replica a holds")
		}
		other, err := lockB(ctx, "octo/app", 8)
		if err != nil {
			t.Fatalf("another pull request's lease: %v", err)
		}
		if err := other(ctx); err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() {
			rel, err := lockB(ctx, "octo/app", 7)
			if err == nil {
				err = rel(ctx)
			}
			got <- err
		}()
		if err := release(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-got:
			if err != nil {
				t.Errorf("lease after release: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("replica b never got the released lease")
		}
	})
}
