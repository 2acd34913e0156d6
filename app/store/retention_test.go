package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// pruneNow is the "now" of the retention tests: a fixed time, so that the
// rows' ages are exact whatever the clock says.
var pruneNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// ago is pruneNow minus d in unix milliseconds, as the tables store it.
func ago(d time.Duration) int64 { return pruneNow.Add(-d).UnixMilli() }

// retentionRows writes rows of every pruned table, directly, with the
// given ages.
type retentionRows struct {
	t *testing.T
	s *store.Store
}

func (r retentionRows) exec(q string, args ...any) {
	r.t.Helper()
	if _, err := r.s.Exec(context.Background(), q, args...); err != nil {
		r.t.Fatal(err)
	}
}

func (r retentionRows) delivery(id string, age time.Duration) {
	r.t.Helper()
	r.exec(`INSERT INTO picket_delivery (id, event, action, installation_id, received_at) VALUES (?, 'pull_request', 'opened', 7, ?)`, id, ago(age))
}

func (r retentionRows) head(repo string, pr int, head string, age time.Duration) {
	r.t.Helper()
	r.exec(`INSERT INTO picket_pr_head (repo, pr, head_sha, updated_at) VALUES (?, ?, ?, ?)`, repo, pr, head, ago(age))
}

// comment's age is deliberately unrelated to its pull request's: the
// pull request's closing decides.
func (r retentionRows) comment(repo string, pr int, fp string) {
	r.t.Helper()
	r.exec(`INSERT INTO picket_comment (repo, pr, fingerprint, comment_id, updated_at) VALUES (?, ?, ?, 1, ?)`, repo, pr, fp, ago(time.Hour))
}

func (r retentionRows) checkRun(repo, head string, age time.Duration) {
	r.t.Helper()
	r.exec(`INSERT INTO picket_check_run (repo, head_sha, run_id, updated_at) VALUES (?, ?, 1, ?)`, repo, head, ago(age))
}

// keys lists a table's remaining rows as "a/b/c" strings, sorted.
func keys(t *testing.T, s *store.Store, q string) []string {
	t.Helper()
	rows, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var a, b, c string
		if err := rows.Scan(&a, &b, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, a+"/"+b+"/"+c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

const (
	deliveryKeys = `SELECT id, event, action FROM picket_delivery`
	headKeys     = `SELECT repo, CAST(pr AS TEXT), head_sha FROM picket_pr_head`
	commentKeys  = `SELECT repo, CAST(pr AS TEXT), fingerprint FROM picket_comment`
	checkRunKeys = `SELECT repo, head_sha, CAST(run_id AS TEXT) FROM picket_check_run`
)

// Prune deletes exactly the rows older than the policy allows: old
// deliveries, closed pull requests (head and comments) closed long ago,
// and old check runs; young rows and open pull requests stay, whatever
// their age.
func TestPruneDeletesOnlyWhatThePolicyAllows(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		r := retentionRows{t, s}
		r.delivery("old", store.DefaultDeliveryRetention+time.Minute)
		r.delivery("young", store.DefaultDeliveryRetention-time.Minute)
		r.head("o/r", 1, "", 91*day)     // closed long ago: goes, with its comments
		r.head("o/r", 2, "", 89*day)     // closed recently: stays
		r.head("o/r", 3, "abc", 400*day) // open for a year: stays
		r.head("o/other", 1, "", 10*day) // same number, other repository: stays
		for _, c := range []struct {
			repo string
			pr   int
		}{{"o/r", 1}, {"o/r", 2}, {"o/r", 3}, {"o/other", 1}} {
			r.comment(c.repo, c.pr, "fp-a")
			r.comment(c.repo, c.pr, "fp-b")
		}
		r.checkRun("o/r", "old", 91*day)
		r.checkRun("o/r", "young", 89*day)

		got, err := s.Prune(context.Background(), pruneNow, store.DefaultRetentionPolicy())
		if err != nil {
			t.Fatal(err)
		}
		want := store.PruneStats{Deliveries: 1, PRHeads: 1, Comments: 2, CheckRuns: 1}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Prune stats (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			name, q string
			want    []string
		}{
			{"deliveries", deliveryKeys, []string{"young/pull_request/opened"}},
			{"heads", headKeys, []string{"o/other/1/", "o/r/2/", "o/r/3/abc"}},
			{"comments", commentKeys, []string{"o/other/1/fp-a", "o/other/1/fp-b", "o/r/2/fp-a", "o/r/2/fp-b", "o/r/3/fp-a", "o/r/3/fp-b"}},
			{"check runs", checkRunKeys, []string{"o/r/young/1"}},
		} {
			if diff := cmp.Diff(tc.want, keys(t, s, tc.q)); diff != "" {
				t.Errorf("%s left (-want +got):\n%s", tc.name, diff)
			}
		}

		// A second run finds nothing more.
		again, err := s.Prune(context.Background(), pruneNow, store.DefaultRetentionPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if again.Total() != 0 {
			t.Errorf("second Prune deleted %+v, want nothing", again)
		}
	})
}

// With a batch smaller than the backlog, Prune loops until every old row
// is gone, on every table, and counts them all.
func TestPruneLoopsOverBatches(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		r := retentionRows{t, s}
		const batch = 3
		for i := range 3*batch + 1 {
			r.delivery(fmt.Sprintf("old-%02d", i), 30*day)
			r.checkRun("o/r", fmt.Sprintf("old-%02d", i), 100*day)
			r.head("o/r", 100+i, "", 100*day)
		}
		for i := range 2*batch + 2 { // one pull request's comments span batches
			r.comment("o/r", 100, fmt.Sprintf("fp-%02d", i))
		}
		r.comment("o/r", 101, "fp-x")
		r.delivery("young", time.Hour)

		got, err := s.Prune(context.Background(), pruneNow, store.RetentionPolicy{
			Deliveries: 7 * day, ClosedPRs: 90 * day, CheckRuns: 90 * day, Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		want := store.PruneStats{Deliveries: 3*batch + 1, PRHeads: 3*batch + 1, Comments: 2*batch + 3, CheckRuns: 3*batch + 1}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Prune stats (-want +got):\n%s", diff)
		}
		if left := keys(t, s, deliveryKeys); !cmp.Equal(left, []string{"young/pull_request/opened"}) {
			t.Errorf("deliveries left = %v, want only the young one", left)
		}
		for _, q := range []string{headKeys, commentKeys, checkRunKeys} {
			if left := keys(t, s, q); len(left) != 0 {
				t.Errorf("%s: left %v, want none", q, left)
			}
		}
	})
}

// A zero duration keeps that kind of row: the zero policy deletes
// nothing, and each duration acts on its own tables only.
func TestPruneZeroKeeps(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		r := retentionRows{t, s}
		r.delivery("old", 1000*day)
		r.head("o/r", 1, "", 1000*day)
		r.comment("o/r", 1, "fp")
		r.checkRun("o/r", "old", 1000*day)
		if (store.RetentionPolicy{}).Enabled() {
			t.Error("the zero policy is Enabled")
		}
		got, err := s.Prune(context.Background(), pruneNow, store.RetentionPolicy{})
		if err != nil || got.Total() != 0 {
			t.Fatalf("Prune(zero policy) = %+v, %v; want nothing deleted", got, err)
		}
		got, err = s.Prune(context.Background(), pruneNow, store.RetentionPolicy{CheckRuns: day})
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.PruneStats{CheckRuns: 1}); got != want {
			t.Errorf("Prune(check runs only) = %+v, want %+v", got, want)
		}
		if n := len(keys(t, s, deliveryKeys)) + len(keys(t, s, headKeys)) + len(keys(t, s, commentKeys)); n != 3 {
			t.Errorf("%d delivery, head and comment rows left, want 3", n)
		}
	})
}

// A cancelled context stops Prune with the context's error, naming the
// table it was at.
func TestPruneCancelled(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		retentionRows{t, s}.delivery("old", 30*day)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Prune(ctx, pruneNow, store.DefaultRetentionPolicy())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Prune(cancelled) = %v, want context.Canceled", err)
		}
		if n := len(keys(t, s, deliveryKeys)); n != 1 {
			t.Errorf("%d deliveries left, want the 1 (nothing deleted)", n)
		}
	})
}

// BenchmarkPruneDeliveries is a daily run in the steady state: 1,000
// deliveries past the retention among 50,000 kept (a week of a busy
// installation). It reports the time of the run, which is the longest
// the SQLite writer can be held by it (each statement is shorter).
func BenchmarkPruneDeliveries(b *testing.B) {
	for name, newURL := range map[string]func(testing.TB) string{"sqlite": storetest.SQLiteURL, "postgres": storetest.PostgresURL} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			s, err := store.Open(ctx, newURL(b)) // fresh each round: b.Run calls this more than once
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			insert := func(prefix string, n int, age time.Duration) {
				err := s.InTx(ctx, func(tx store.Tx) error {
					for i := range n {
						if _, err := tx.Exec(ctx, `INSERT INTO picket_delivery (id, event, action, installation_id, received_at)
							VALUES (?, 'pull_request', 'synchronize', 7, ?)`, fmt.Sprintf("%s-%d", prefix, i), ago(age)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			insert("kept", 50_000, day)
			p := store.RetentionPolicy{Deliveries: store.DefaultDeliveryRetention}
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				insert(fmt.Sprintf("old%d", i), store.DefaultPruneBatch, 30*day)
				b.StartTimer()
				st, err := s.Prune(ctx, pruneNow, p)
				if err != nil || st.Deliveries != store.DefaultPruneBatch {
					b.Fatalf("Prune = %+v, %v; want %d deliveries deleted", st, err, store.DefaultPruneBatch)
				}
			}
		})
	}
}
