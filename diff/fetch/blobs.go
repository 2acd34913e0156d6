package fetch

import (
	"context"

	"github.com/picketsec/picket/diff"
)

// Blobs holds fetched blob contents by lower-case hex id. It implements
// diff.Source; it is read-only once returned and so safe for concurrent
// reads.
type Blobs map[string][]byte

var _ diff.Source = Blobs(nil)

// Read returns the blob of f's head or base version, or diff.ErrNoContent
// when that side has no blob id or the blob was not fetched.
func (b Blobs) Read(ctx context.Context, f *diff.File, side diff.Side) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := f.HeadBlob
	if side == diff.Base {
		id = f.BaseBlob
	}
	data, ok := b[id]
	if id == "" || !ok {
		return nil, diff.ErrNoContent
	}
	return data, nil
}

// Size is the total size of the blobs in bytes.
func (b Blobs) Size() int64 {
	var n int64
	for _, v := range b {
		n += int64(len(v))
	}
	return n
}

// Wants lists the blob ids of cs's files for the given sides (head when
// none given), skipping files already skipped, symlinks and submodules,
// without duplicates.
func Wants(cs *diff.ChangeSet, sides ...diff.Side) []string {
	if len(sides) == 0 {
		sides = []diff.Side{diff.Head}
	}
	seen := map[string]bool{}
	var ids []string
	for _, f := range cs.Files {
		if f.Skipped != nil || f.Mode.IsSymlink() || f.Mode.IsSubmodule() {
			continue
		}
		for _, s := range sides {
			id := f.HeadBlob
			if s == diff.Base {
				id = f.BaseBlob
				if f.OldMode.IsSymlink() || f.OldMode.IsSubmodule() {
					continue
				}
			}
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Attach makes b the Source of every file of cs.
func Attach(cs *diff.ChangeSet, b Blobs) {
	for _, f := range cs.Files {
		f.Source = b
	}
}
