package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/store"
)

func TestIgnores(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.UnixMilli(1700000000000)
		add := []store.Ignore{
			{Repo: "o/r", PR: 3, ID: "abcdef0123", Reason: "test key", By: "alice", At: t0},
			{Repo: "o/r", PR: 0, ID: "ffff000011", Reason: "vendored", By: "bob", At: t0},
			{Repo: "o/r", PR: 4, ID: "1111111111", Reason: "other PR", By: "carol", At: t0},
			{Repo: "o/other", PR: 3, ID: "abcdef0123", Reason: "other repo", By: "dave", At: t0},
			// Ignoring the same id again replaces reason, author and time.
			{Repo: "o/r", PR: 3, ID: "abcdef0123", Reason: "fixture, not a key", By: "erin", At: t0.Add(time.Hour)},
		}
		for _, ig := range add {
			if err := s.AddIgnore(ctx, ig); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			repo string
			pr   int
			want []store.Ignore
		}{
			{"pull request and repository", "o/r", 3, []store.Ignore{add[1], add[4]}},
			{"another pull request", "o/r", 4, []store.Ignore{add[1], add[2]}},
			{"repository only", "o/r", 0, []store.Ignore{add[1]}},
			{"none", "o/none", 3, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.Ignores(ctx, tc.repo, tc.pr)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("Ignores(%s, %d) (-want +got):\n%s", tc.repo, tc.pr, diff)
				}
			})
		}

		// RemoveIgnore acts on exactly one scope.
		if ok, err := s.RemoveIgnore(ctx, "o/r", 3, "ffff000011"); ok || err != nil {
			t.Errorf("RemoveIgnore of a repository ignore in PR scope = %v, %v; want false", ok, err)
		}
		if ok, err := s.RemoveIgnore(ctx, "o/r", 0, "ffff000011"); !ok || err != nil {
			t.Errorf("RemoveIgnore = %v, %v; want true", ok, err)
		}
		got, err := s.Ignores(ctx, "o/r", 3)
		if err != nil || !cmp.Equal(got, []store.Ignore{add[4]}) {
			t.Errorf("after RemoveIgnore: %v, %v; want only %v", got, err, add[4])
		}
	})
}

func TestAddIgnoreNeedsRepoAndID(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		for _, ig := range []store.Ignore{{Repo: "o/r"}, {ID: "abc"}} {
			if err := s.AddIgnore(context.Background(), ig); err == nil {
				t.Errorf("AddIgnore(%+v) = nil, want an error", ig)
			}
		}
	})
}
