package fetch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/diff/fetch"
)

func TestBlobsAsSource(t *testing.T) {
	blobs := fetch.Blobs{"aaaa": []byte("new\n"), "bbbb": []byte("old\n")}
	modified := &diff.File{Path: "m.go", Status: diff.Modified, HeadBlob: "aaaa", BaseBlob: "bbbb"}
	added := &diff.File{Path: "a.go", Status: diff.Added, HeadBlob: "aaaa"}
	notFetched := &diff.File{Path: "n.go", Status: diff.Modified, HeadBlob: "cccc", BaseBlob: "bbbb"}
	cs := &diff.ChangeSet{Files: []*diff.File{modified, added, notFetched}}
	fetch.Attach(cs, blobs)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    *diff.File
		side diff.Side
		want string
		err  error
	}{
		{"head", modified, diff.Head, "new\n", nil},
		{"base", modified, diff.Base, "old\n", nil},
		{"added has no base", added, diff.Base, "", diff.ErrNoContent},
		{"blob not fetched", notFetched, diff.Head, "", diff.ErrNoContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.f.Content(ctx, tc.side)
			if !errors.Is(err, tc.err) || string(got) != tc.want {
				t.Errorf("Content = %q, %v; want %q, %v", got, err, tc.want, tc.err)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := blobs.Read(cancelled, modified, diff.Head); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context: %v", err)
	}
	if got := blobs.Size(); got != 8 {
		t.Errorf("Size() = %d, want 8", got)
	}
}

func TestWants(t *testing.T) {
	cs := &diff.ChangeSet{Files: []*diff.File{
		{Path: "a", Status: diff.Modified, Mode: diff.ModeRegular, OldMode: diff.ModeRegular, HeadBlob: "h1", BaseBlob: "b1"},
		{Path: "b", Status: diff.Added, Mode: diff.ModeRegular, HeadBlob: "h2"},
		{Path: "c", Status: diff.Deleted, Mode: diff.ModeRegular, OldMode: diff.ModeRegular, BaseBlob: "b3"},
		{Path: "copy-of-a", Status: diff.Copied, Mode: diff.ModeRegular, HeadBlob: "h1"},
		{Path: "link", Status: diff.Modified, Mode: diff.ModeSymlink, OldMode: diff.ModeSymlink, HeadBlob: "h4", BaseBlob: "b4"},
		{Path: "sub", Status: diff.Modified, Mode: diff.ModeSubmodule, OldMode: diff.ModeSubmodule, HeadBlob: "h5", BaseBlob: "b5"},
		{Path: "was-link", Status: diff.Modified, Mode: diff.ModeRegular, OldMode: diff.ModeSymlink, HeadBlob: "h6", BaseBlob: "b6"},
		{Path: "big", Status: diff.Modified, Mode: diff.ModeRegular, HeadBlob: "h7", BaseBlob: "b7", Skipped: &diff.SkipReason{}},
	}}
	for _, tc := range []struct {
		name  string
		sides []diff.Side
		want  []string
	}{
		{"head by default", nil, []string{"h1", "h2", "h6"}},
		{"both sides", []diff.Side{diff.Head, diff.Base}, []string{"h1", "b1", "h2", "b3", "h6"}},
		{"base only", []diff.Side{diff.Base}, []string{"b1", "b3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, fetch.Wants(cs, tc.sides...)); d != "" {
				t.Errorf("Wants (-want +got):\n%s", d)
			}
		})
	}
}
