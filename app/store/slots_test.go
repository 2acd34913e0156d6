package store_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// Goroutines on two Stores (two replicas) contend for 2 slots of one
// installation: never more than 2 hold one at once, and every one gets
// its turn.
func TestSlotsBoundConcurrencyAcrossReplicas(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		replicas := []*store.Store{openURL(t, url), openURL(t, url)}
		const (
			max     = 2
			workers = 6
			rounds  = 5
		)
		var held, peak, done atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			s := replicas[w%len(replicas)]
			wg.Go(func() {
				for r := 0; r < rounds; {
					release, ok, err := s.AcquireSlot(ctx, 7, fmt.Sprintf("worker-%d", w), max, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						runtime.Gosched()
						continue
					}
					n := held.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					runtime.Gosched()
					held.Add(-1)
					if err := release(ctx); err != nil {
						t.Error(err)
						return
					}
					done.Add(1)
					r++
				}
			})
		}
		wg.Wait()
		if p := peak.Load(); p > max || p < 1 {
			t.Errorf("peak concurrent holders = %d, want 1..%d", p, max)
		}
		if d := done.Load(); d != workers*rounds {
			t.Errorf("completed = %d, want %d", d, workers*rounds)
		}
		if h, err := replicas[0].SlotHolders(ctx, 7); err != nil || len(h) != 0 {
			t.Errorf("holders after all released = %v, %v", h, err)
		}
	})
}

func TestSlotLeases(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		acquire := func(holder string) (func(context.Context) error, bool) {
			t.Helper()
			release, ok, err := s.AcquireSlot(ctx, 1, holder, 2, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return release, ok
		}
		relA, okA := acquire("a")
		relDead, okDead := acquire("dead")
		if _, ok := acquire("c"); !okA || !okDead || ok {
			t.Fatalf("acquired a %v, dead %v, third %v; want true, true, false", okA, okDead, ok)
		}
		// Another installation has its own slots.
		if _, ok, err := s.AcquireSlot(ctx, 2, "other", 1, time.Hour); !ok || err != nil {
			t.Errorf("other installation: ok %v err %v", ok, err)
		}

		// The holder "dead" was SIGKILLed and its ttl has passed.
		if _, err := s.Exec(ctx, `UPDATE picket_slot SET expires_at = 0 WHERE holder = ?`, "dead"); err != nil {
			t.Fatal(err)
		}
		relC, ok := acquire("c")
		if !ok {
			t.Fatal("an expired lease was not taken over")
		}
		// A late release from the dead holder must not free c's slot.
		if err := relDead(ctx); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SlotHolders(ctx, 1); err != nil || !cmp.Equal(got, []string{"a", "c"}) {
			t.Errorf("holders = %v, %v; want [a c]", got, err)
		}
		if _, ok := acquire("d"); ok {
			t.Error("acquired a third slot of two")
		}
		// Releasing frees the slot; releasing twice is harmless.
		for range 2 {
			if err := relA(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := acquire("d"); !ok {
			t.Error("a released slot was not free")
		}
		if err := relC(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SlotHolders(ctx, 1); !cmp.Equal(got, []string{"d"}) {
			t.Errorf("holders = %v, want [d]", got)
		}
	})
}

func TestAcquireSlotRejectsBadArguments(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		for _, tc := range []struct {
			max int
			ttl time.Duration
		}{{0, time.Minute}, {1, 0}} {
			if _, _, err := s.AcquireSlot(context.Background(), 1, "h", tc.max, tc.ttl); err == nil {
				t.Errorf("AcquireSlot(max %d, ttl %v) = nil error", tc.max, tc.ttl)
			}
		}
	})
}

// ClearSlots frees every lease on SQLite (one owning process) and is
// refused on PostgreSQL, where leases may be live replicas'.
func TestClearSlots(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, ok, err := st.AcquireSlot(ctx, 1, "dead", 1, time.Hour); err != nil || !ok {
			t.Fatalf("AcquireSlot = %v, %v", ok, err)
		}
		n, err := st.ClearSlots(ctx)
		if st.Dialect != store.SQLite {
			if err == nil {
				t.Error("ClearSlots on PostgreSQL = nil, want an error")
			}
			return
		}
		if err != nil || n != 1 {
			t.Fatalf("ClearSlots = %d, %v; want 1", n, err)
		}
		if _, ok, err := st.AcquireSlot(ctx, 1, "alive", 1, time.Hour); err != nil || !ok {
			t.Errorf("slot after ClearSlots: %v, %v; want it free", ok, err)
		}
	})
}
