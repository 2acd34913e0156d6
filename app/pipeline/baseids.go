package pipeline

import (
	"sync"

	"github.com/picketsec/picket/diff"
)

// baseIDs remembers the blob id of a path at a base commit, learnt from
// directory listings. A commit never changes, so an entry is never stale;
// the map is only bounded. On a later push to the same pull request (same
// base) the unchanged files' base ids come from here, and the listing
// requests, the biggest fixed cost of an incremental scan, are not sent
// again. Safe for concurrent use.
type baseIDs struct {
	mu  sync.Mutex
	max int
	ids map[baseKey]string // "" means the path does not exist at the base
}

type baseKey struct{ repo, base, path string }

// maxBaseIDs bounds the map: about 100 bytes an entry, so some 20 MB.
const maxBaseIDs = 200_000

func newBaseIDs(max int) *baseIDs {
	return &baseIDs{max: max, ids: map[baseKey]string{}}
}

// fill sets BaseBlob of the files whose base path is known and returns
// the files still to look up.
func (b *baseIDs) fill(repo, base string, files []*diff.File) []*diff.File {
	b.mu.Lock()
	defer b.mu.Unlock()
	var rest []*diff.File
	for _, f := range files {
		id, ok := b.ids[baseKey{repo, base, f.BasePath()}]
		if !ok {
			rest = append(rest, f)
			continue
		}
		f.BaseBlob = id
	}
	return rest
}

// learn records a directory listing (path → blob id) and the ids found
// for files looked up one by one.
func (b *baseIDs) learn(repo, base string, byPath map[string]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.ids)+len(byPath) > b.max {
		// Dropping everything is crude but correct, and a bound this
		// size is reached only by a long-running server with many
		// pull requests: their next push lists its directories again.
		clear(b.ids)
	}
	for p, id := range byPath {
		b.ids[baseKey{repo, base, p}] = id
	}
}
