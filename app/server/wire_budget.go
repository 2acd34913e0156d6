package server

import (
	"context"
	"errors"
	"time"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/store"
)

// dbBudget is the content-creation budget shared by every replica on the
// database (store.Budget) as a gh.Budget. The mapping lives here, not in
// store, because store must not import a GitHub client package: a full
// budget, *store.BudgetExhaustedError, becomes the *gh.Error of Kind
// RateLimited that gh.Budget promises, with the wait as RetryAfter (so
// River retries the job after it, as for GitHub's own rate limits).
type dbBudget struct{ b *store.Budget }

var _ gh.Budget = dbBudget{}

// newDBBudget returns a database budget of limit content-creating
// requests per installation in any window of per (time.Now if now is
// nil).
func newDBBudget(st *store.Store, limit int, per time.Duration, now func() time.Time) gh.Budget {
	return dbBudget{store.NewBudget(st, limit, per, now)}
}

// Reserve implements gh.Budget.
func (d dbBudget) Reserve(ctx context.Context, installation int64, maxWait time.Duration) (time.Duration, error) {
	wait, err := d.b.Reserve(ctx, installation, maxWait)
	var full *store.BudgetExhaustedError
	if errors.As(err, &full) {
		return 0, &gh.Error{Kind: gh.RateLimited, Op: "content budget", RetryAfter: full.Wait, Err: err}
	}
	return wait, err
}
