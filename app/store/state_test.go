package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
	"github.com/picketsec/picket/scanners"
)

// The store is the durable publish.State (store cannot import publish).
var _ publish.State = (*store.Store)(nil)

// forEachStore runs fn on a fresh, migrated database of each dialect.
func forEachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	storetest.ForEach(t, func(t *testing.T, url string) {
		s := openURL(t, url)
		fn(t, s)
	})
}

// openURL opens url and closes it when t ends.
func openURL(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestCheckRunState(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if id, ok, err := s.CheckRun(ctx, "o/r", "abc"); ok || err != nil || id != 0 {
			t.Fatalf("CheckRun before any = %d, %v, %v; want 0, false, nil", id, ok, err)
		}
		steps := []struct {
			repo, head string
			id         int64
		}{{"o/r", "abc", 1}, {"o/r", "def", 2}, {"o/other", "abc", 3}, {"o/r", "abc", 4}}
		for _, st := range steps {
			if err := s.SetCheckRun(ctx, st.repo, st.head, st.id); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			repo, head string
			want       int64
		}{{"o/r", "abc", 4}, {"o/r", "def", 2}, {"o/other", "abc", 3}} {
			if id, ok, err := s.CheckRun(ctx, tc.repo, tc.head); !ok || err != nil || id != tc.want {
				t.Errorf("CheckRun(%s, %s) = %d, %v, %v; want %d", tc.repo, tc.head, id, ok, err, tc.want)
			}
		}
	})
}

func TestCommentState(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		got, err := s.Comments(ctx, "o/r", 1)
		if err != nil || len(got) != 0 {
			t.Fatalf("Comments before any = %v, %v", got, err)
		}
		fpA, fpB := scanners.Fingerprint("aaaa0000"), scanners.Fingerprint("bbbb1111")
		for _, c := range []struct {
			repo string
			pr   int
			fp   scanners.Fingerprint
			id   int64
		}{{"o/r", 1, fpA, 10}, {"o/r", 1, fpB, 11}, {"o/r", 2, fpA, 20}, {"o/r", 1, fpA, 12}} {
			if err := s.SetComment(ctx, c.repo, c.pr, c.fp, c.id); err != nil {
				t.Fatal(err)
			}
		}
		for pr, want := range map[int]map[scanners.Fingerprint]int64{
			1: {fpA: 12, fpB: 11},
			2: {fpA: 20},
			3: {},
		} {
			got, err := s.Comments(ctx, "o/r", pr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Comments(o/r, %d) (-want +got):\n%s", pr, diff)
			}
		}
	})
}

// Two replicas publishing the same finding at once leave one row, holding
// one of the ids they wrote.
func TestSetCommentConcurrent(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const writers = 8
		fp := scanners.Fingerprint("cafe")
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Go(func() {
				errs <- s.SetComment(ctx, "o/r", 7, fp, int64(100+i))
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("SetComment: %v", err)
			}
		}
		var n int
		if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM picket_comment WHERE repo = ? AND pr = ?`, "o/r", 7).Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows = %d, %v; want 1", n, err)
		}
		got, err := s.Comments(ctx, "o/r", 7)
		if err != nil || got[fp] < 100 || got[fp] >= 100+writers {
			t.Errorf("Comments = %v, %v; want one of the written ids", got, err)
		}
	})
}

// The state survives a restart: a new Store on the same database (another
// replica, or the process after a crash) sees what the first wrote.
func TestStateIsShared(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		a, b := openURL(t, url), openURL(t, url)
		if err := a.SetCheckRun(ctx, "o/r", "abc", 42); err != nil {
			t.Fatal(err)
		}
		if err := a.SetComment(ctx, "o/r", 1, "ff", 9); err != nil {
			t.Fatal(err)
		}
		if id, ok, err := b.CheckRun(ctx, "o/r", "abc"); id != 42 || !ok || err != nil {
			t.Errorf("other store CheckRun = %d, %v, %v; want 42", id, ok, err)
		}
		got, err := b.Comments(ctx, "o/r", 1)
		if want := map[scanners.Fingerprint]int64{"ff": 9}; err != nil || !cmp.Equal(got, want) {
			t.Errorf("other store Comments = %v, %v; want %v", got, err, want)
		}
	})
}
