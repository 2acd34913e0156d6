package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// A full database budget reads as GitHub's rate limit to gh's callers.
func TestDBBudgetMapsAFullBudgetToRateLimited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		now := time.UnixMilli(1700000000000)
		b := newDBBudget(st, 1, time.Minute, func() time.Time { return now })
		if d, err := b.Reserve(ctx, 5, 0); d != 0 || err != nil {
			t.Fatalf("first Reserve = %v, %v", d, err)
		}
		_, err = b.Reserve(ctx, 5, time.Second)
		var e *gh.Error
		if !errors.As(err, &e) || e.Kind != gh.RateLimited || e.RetryAfter != time.Minute {
			t.Fatalf("second Reserve = %v, want a RateLimited *gh.Error retrying after 1m", err)
		}
		var full *store.BudgetExhaustedError
		if !errors.As(err, &full) || full.Installation != 5 {
			t.Errorf("the store's error is not kept inside: %v", err)
		}
		if d, err := b.Reserve(ctx, 5, time.Hour); d != time.Minute || err != nil {
			t.Errorf("Reserve with room to wait = %v, %v; want 1m", d, err)
		}
	})
}
