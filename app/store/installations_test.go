package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/app/store"
)

func TestRecordInstallation(t *testing.T) {
	t.Parallel()
	type state struct {
		Suspended, Deleted bool
		Account            string
		Repos              []string
	}
	tests := []struct {
		name   string
		events []store.InstallationEvent
		want   state
	}{
		{"created with repositories", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "created", ReposAdded: []string{"acme/b", "acme/a"}},
		}, state{Account: "acme", Repos: []string{"acme/a", "acme/b"}}},
		{"repositories added and removed", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "created", ReposAdded: []string{"acme/a"}},
			{ID: 1, Account: "acme", Action: "added", ReposAdded: []string{"acme/b", "acme/c", "acme/a"}},
			{ID: 1, Account: "acme", Action: "removed", ReposRemoved: []string{"acme/a", "acme/zzz"}},
		}, state{Account: "acme", Repos: []string{"acme/b", "acme/c"}}},
		{"suspended stays suspended through other events", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "created"},
			{ID: 1, Account: "acme", Action: "suspend"},
			{ID: 1, Account: "acme", Action: "new_permissions_accepted"},
			{ID: 1, Account: "acme", Action: "added", ReposAdded: []string{"acme/a"}},
		}, state{Suspended: true, Account: "acme", Repos: []string{"acme/a"}}},
		{"unsuspended", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "suspend"},
			{ID: 1, Account: "acme", Action: "unsuspend"},
		}, state{Account: "acme"}},
		{"deleted forgets repositories", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "created", ReposAdded: []string{"acme/a"}},
			{ID: 1, Account: "acme", Action: "deleted"},
		}, state{Deleted: true, Account: "acme"}},
		{"reinstalled after deletion", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "deleted"},
			{ID: 1, Account: "acme-renamed", Action: "created", ReposAdded: []string{"acme/a"}},
		}, state{Account: "acme-renamed", Repos: []string{"acme/a"}}},
		{"an event without the account keeps it", []store.InstallationEvent{
			{ID: 1, Account: "acme", Action: "created"},
			{ID: 1, Action: "added", ReposAdded: []string{"acme/a"}},
		}, state{Account: "acme", Repos: []string{"acme/a"}}},
	}
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				// Each case its own installation id, on one database.
				id := int64(100 + i)
				for _, ev := range tc.events {
					ev.ID = id
					if err := s.InTx(ctx, func(tx store.Tx) error { return s.RecordInstallation(ctx, tx, ev) }); err != nil {
						t.Fatal(err)
					}
				}
				in, err := s.Installation(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				repos, err := s.InstallationRepos(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				got := state{Suspended: in.Suspended, Deleted: in.Deleted, Account: in.Account, Repos: repos}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestActiveInstallations(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.Installation(ctx, 404); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("Installation(unknown) = %v, want sql.ErrNoRows", err)
		}
		err := s.InTx(ctx, func(tx store.Tx) error {
			for _, ev := range []store.InstallationEvent{
				{ID: 3, Account: "c", Action: "created"},
				{ID: 1, Account: "a", Action: "created"},
				{ID: 2, Account: "b", Action: "created"},
				{ID: 2, Account: "b", Action: "suspend"},
				{ID: 4, Account: "d", Action: "created"},
				{ID: 4, Account: "d", Action: "deleted"},
			} {
				if err := s.RecordInstallation(ctx, tx, ev); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		active, err := s.ActiveInstallations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, in := range active {
			got = append(got, in.Account)
			if in.UpdatedAt.IsZero() {
				t.Errorf("installation %d has no update time", in.ID)
			}
		}
		if want := []string{"a", "c"}; !cmp.Equal(got, want) {
			t.Errorf("ActiveInstallations = %v, want %v", got, want)
		}
	})
}
