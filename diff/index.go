package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// indexTree returns the tree "git commit" would record from the index,
// without writing anything to the repository: its tree objects live in an
// in-memory overlay, while its blobs (written by "git add") are read from
// the repository's object store. Unmerged and intent-to-add entries have
// no staged content and are left out.
func indexTree(repo *git.Repository) (*object.Tree, error) {
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, err
	}
	ov := &overlay{EncodedObjectStorer: repo.Storer, trees: map[plumbing.Hash]plumbing.EncodedObject{}}
	var entries []*index.Entry
	for _, e := range idx.Entries {
		// Stage 0 is a merged entry. (go-git's index.Merged constant is 1,
		// which is git's "common ancestor" stage of a conflict.)
		if e.Stage == 0 && !e.IntentToAdd {
			entries = append(entries, e)
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	h, err := ov.build(entries, "")
	if err != nil {
		return nil, err
	}
	return object.GetTree(ov, h)
}

// overlay serves the trees built from the index and delegates every other
// object to the repository's storage.
type overlay struct {
	storer.EncodedObjectStorer
	trees map[plumbing.Hash]plumbing.EncodedObject
}

// EncodedObject implements storer.EncodedObjectStorer.
func (o *overlay) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if obj, ok := o.trees[h]; ok && (t == plumbing.AnyObject || t == obj.Type()) {
		return obj, nil
	}
	return o.EncodedObjectStorer.EncodedObject(t, h)
}

// HasEncodedObject implements storer.EncodedObjectStorer.
func (o *overlay) HasEncodedObject(h plumbing.Hash) error {
	if _, ok := o.trees[h]; ok {
		return nil
	}
	return o.EncodedObjectStorer.HasEncodedObject(h)
}

// EncodedObjectSize implements storer.EncodedObjectStorer.
func (o *overlay) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	if obj, ok := o.trees[h]; ok {
		return obj.Size(), nil
	}
	return o.EncodedObjectStorer.EncodedObjectSize(h)
}

// build writes the tree of the sorted entries under dir (with a trailing
// slash, or "" for the root) into the overlay and returns its id.
func (o *overlay) build(entries []*index.Entry, dir string) (plumbing.Hash, error) {
	t := &object.Tree{}
	for i := 0; i < len(entries); {
		name := strings.TrimPrefix(entries[i].Name, dir)
		sub, _, isDir := strings.Cut(name, "/")
		if !isDir {
			t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: entries[i].Mode, Hash: entries[i].Hash})
			i++
			continue
		}
		prefix := dir + sub + "/"
		j := i
		for j < len(entries) && strings.HasPrefix(entries[j].Name, prefix) {
			j++
		}
		h, err := o.build(entries[i:j], prefix)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		t.Entries = append(t.Entries, object.TreeEntry{Name: sub, Mode: filemode.Dir, Hash: h})
		i = j
	}
	// Git orders tree entries as if directory names ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(t.Entries, func(i, j int) bool { return key(t.Entries[i]) < key(t.Entries[j]) })
	obj := &plumbing.MemoryObject{}
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree %q: %w", dir, err)
	}
	o.trees[obj.Hash()] = obj
	return obj.Hash(), nil
}
