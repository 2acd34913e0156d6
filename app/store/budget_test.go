package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// fakeClock is a clock tests move by hand, shared by several budgets.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Two database budgets (two replicas) driven by one random sequence of
// calls answer exactly as one in-memory gh.WindowBudget does: same waits,
// same refusals with the same retry-after. Every booking made also keeps
// every window of Per at or under Limit.
func TestBudgetMatchesWindowBudgetAcrossReplicas(t *testing.T) {
	t.Parallel()
	const (
		limit = 5
		per   = time.Minute
	)
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		clock := &fakeClock{t: time.UnixMilli(1700000000000)}
		replicas := []*store.Budget{
			store.NewBudget(openURL(t, url), limit, per, clock.Now),
			store.NewBudget(openURL(t, url), limit, per, clock.Now),
		}
		want := gh.NewWindowBudget(limit, per, clock.Now)
		rng := rand.New(rand.NewPCG(1, 2))
		maxWaits := []time.Duration{0, 10 * time.Second, per, 3 * per}
		booked := map[int64][]time.Time{}
		for i := range 300 {
			clock.Advance(time.Duration(rng.IntN(8000)) * time.Millisecond)
			inst := int64(1 + rng.IntN(2))
			maxWait := maxWaits[rng.IntN(len(maxWaits))]
			b := replicas[rng.IntN(len(replicas))]

			wantWait, wantErr := want.Reserve(ctx, inst, maxWait)
			gotWait, gotErr := b.Reserve(ctx, inst, maxWait)
			var ghErr *gh.Error
			var full *store.BudgetExhaustedError
			switch {
			case wantErr == nil && gotErr == nil:
				if gotWait != wantWait {
					t.Fatalf("call %d: Reserve(%d, %v) = %v, want %v", i, inst, maxWait, gotWait, wantWait)
				}
				booked[inst] = append(booked[inst], clock.Now().Add(gotWait))
			case errors.As(wantErr, &ghErr) && errors.As(gotErr, &full):
				if full.Wait != ghErr.RetryAfter || full.Installation != inst || full.Wait <= maxWait {
					t.Fatalf("call %d: refused with %+v, want wait %v over %v", i, full, ghErr.RetryAfter, maxWait)
				}
			default:
				t.Fatalf("call %d: Reserve(%d, %v) = %v, %v; want %v, %v", i, inst, maxWait, gotWait, gotErr, wantWait, wantErr)
			}
		}
		checkWindows(t, booked, limit, per)
		if len(booked[1])+len(booked[2]) < 50 {
			t.Errorf("only %d bookings: the sequence did not exercise the budget", len(booked[1])+len(booked[2]))
		}
	})
}

// Goroutines on two replicas booking at one instant get distinct slots:
// limit now, limit one Per later, and so on, never limit+1 in a window.
func TestBudgetConcurrentReplicas(t *testing.T) {
	t.Parallel()
	const (
		limit   = 4
		per     = time.Minute
		workers = 16
		each    = 3
	)
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		clock := &fakeClock{t: time.UnixMilli(1700000000000)}
		replicas := []*store.Budget{
			store.NewBudget(openURL(t, url), limit, per, clock.Now),
			store.NewBudget(openURL(t, url), limit, per, clock.Now),
		}
		var mu sync.Mutex
		var waits []time.Duration
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for range each {
					d, err := replicas[w%2].Reserve(ctx, 9, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					waits = append(waits, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(waits)
		var want []time.Duration
		for i := range workers * each {
			want = append(want, time.Duration(i/limit)*per)
		}
		if !slices.Equal(waits, want) {
			t.Errorf("waits = %v\nwant %v", waits, want)
		}
	})
}

func TestBudgetEdges(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &fakeClock{t: time.UnixMilli(1700000000000)}
		if d, err := store.NewBudget(s, 0, time.Minute, clock.Now).Reserve(ctx, 1, 0); d != 0 || err != nil {
			t.Errorf("disabled budget: %v, %v", d, err)
		}
		b := store.NewBudget(s, 1, time.Minute, clock.Now)
		if d, err := b.Reserve(ctx, 1, 0); d != 0 || err != nil {
			t.Fatalf("first: %v, %v", d, err)
		}
		_, err := b.Reserve(ctx, 1, 59*time.Second)
		var full *store.BudgetExhaustedError
		if !errors.As(err, &full) || full.Wait != time.Minute {
			t.Fatalf("over maxWait: %v, want a BudgetExhaustedError waiting 1m", err)
		}
		// The refusal booked nothing: a minute later the budget is free.
		clock.Advance(time.Minute)
		if d, err := b.Reserve(ctx, 1, 0); d != 0 || err != nil {
			t.Errorf("a window later: %v, %v; want 0, nil", d, err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := b.Reserve(cancelled, 1, time.Hour); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
	})
}

// checkWindows fails t if any window [t, t+per) holds more than limit
// bookings of one installation.
func checkWindows(t *testing.T, booked map[int64][]time.Time, limit int, per time.Duration) {
	t.Helper()
	for inst, ts := range booked {
		slices.SortFunc(ts, time.Time.Compare)
		for i := range ts {
			n := 0
			for j := i; j < len(ts) && ts[j].Before(ts[i].Add(per)); j++ {
				n++
			}
			if n > limit {
				t.Errorf("installation %d: %d bookings in the window from %v, limit %d", inst, n, ts[i], limit)
			}
		}
	}
}

// BenchmarkBudgetReserve is one booking's cost on each dialect (a
// transaction of three or four statements), against the in-memory
// gh.WindowBudget's, for choosing between them.
func BenchmarkBudgetReserve(b *testing.B) {
	run := func(b *testing.B, bud gh.Budget) {
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			if _, err := bud.Reserve(ctx, int64(i%50), time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("memory", func(b *testing.B) { run(b, gh.NewWindowBudget(80, time.Minute, nil)) })
	for _, url := range storetest.URLs(b) {
		name := strings.SplitN(url, ":", 2)[0]
		b.Run(name, func(b *testing.B) {
			s, err := store.Open(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			run(b, budgetFunc(store.NewBudget(s, 80, time.Minute, nil).Reserve))
		})
	}
}

// budgetFunc adapts a Reserve method to gh.Budget for the benchmark.
type budgetFunc func(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error)

func (f budgetFunc) Reserve(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error) {
	return f(ctx, installation, maxWait)
}
