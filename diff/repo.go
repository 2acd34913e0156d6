package diff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// EmptyTree is the id of git's empty tree. As a Base it diffs Head against
// nothing, so every file counts as added.
const EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// renameScore is git's default similarity threshold for rename detection,
// and renameLimit its default cap on the added×deleted files compared by
// content; past it only exact renames are found, as in git.
const (
	renameScore = 50
	renameLimit = 1000
)

// RepoOptions selects what FromRepo compares.
type RepoOptions struct {
	// Base is the old revision. Empty means the merge-base of Head with the
	// default branch (see DefaultBase), or the empty tree when Head is a
	// root commit. EmptyTree compares against nothing.
	Base string
	// Head is the new revision; empty means "HEAD". Ignored when Staged.
	Head string
	// Staged compares the index (what git commit would record) against
	// Base, itself defaulting to "HEAD" in that mode; before the first
	// commit, "HEAD" is the empty tree.
	Staged bool
	// Limits decides which files are skipped before their bytes are read.
	Limits Limits
}

// RevisionError reports a revision that does not name a commit.
type RevisionError struct {
	Rev string
	Err error
}

// Error implements error.
func (e *RevisionError) Error() string { return fmt.Sprintf("bad revision %q", e.Rev) }

// Unwrap returns the underlying go-git error.
func (e *RevisionError) Unwrap() error { return e.Err }

// FromRepo builds the ChangeSet between two revisions of the repository
// at dir (or one of its parents), reading objects with go-git; no git
// binary is needed. Renames are detected as git does by default (50%
// similarity). Files skipped by opt.Limits.CheckPath are never read;
// binary files are marked skipped; other files get hunks computed with
// DiffBlobs. Contents are read again, lazily, through each File's Source,
// which is safe for concurrent use.
func FromRepo(ctx context.Context, dir string, opt RepoOptions) (*ChangeSet, error) {
	repo, err := openRepo(dir)
	if err != nil {
		return nil, err
	}
	src := &repoSource{objects: repo.Storer}
	cs := &ChangeSet{}
	var baseTree, headTree *object.Tree
	if opt.Staged {
		if opt.Base == "" {
			opt.Base = "HEAD"
		}
		if headTree, err = indexTree(repo); err != nil {
			return nil, fmt.Errorf("read index of %s: %w", dir, err)
		}
	} else {
		if opt.Head == "" {
			opt.Head = "HEAD"
		}
		head, err := resolveCommit(repo, opt.Head)
		if err != nil {
			return nil, err
		}
		cs.Head = head.Hash.String()
		if headTree, err = head.Tree(); err != nil {
			return nil, fmt.Errorf("read tree of %s: %w", opt.Head, err)
		}
		if opt.Base == "" {
			if head.NumParents() == 0 {
				opt.Base = EmptyTree
			} else if opt.Base, err = defaultBase(repo, head, opt.Head); err != nil {
				return nil, err
			}
		}
	}
	if opt.Staged && opt.Base == "HEAD" && unborn(repo) {
		opt.Base = EmptyTree // the first commit: everything staged is added
	}
	if opt.Base != EmptyTree {
		base, err := resolveCommit(repo, opt.Base)
		if err != nil {
			return nil, err
		}
		cs.Base = base.Hash.String()
		if baseTree, err = base.Tree(); err != nil {
			return nil, fmt.Errorf("read tree of %s: %w", opt.Base, err)
		}
	}
	changes, err := object.DiffTreeWithOptions(ctx, baseTree, headTree, &object.DiffTreeOptions{
		DetectRenames: true, RenameScore: renameScore, RenameLimit: renameLimit,
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("diff trees %s..%s: %w", opt.Base, opt.Head, err)
	}
	for _, c := range changes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := src.file(c, opt.Limits)
		if err != nil {
			return nil, err
		}
		cs.Files = append(cs.Files, f)
	}
	return cs, nil
}

// DefaultBase returns the commit id of the merge-base of head (empty means
// "HEAD") with the repository's default branch: the remote's HEAD
// (refs/remotes/origin/HEAD), else main, else master. It fails, asking for
// --base, when none exists or the histories share no commit.
func DefaultBase(ctx context.Context, dir, head string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	repo, err := openRepo(dir)
	if err != nil {
		return "", err
	}
	if head == "" {
		head = "HEAD"
	}
	c, err := resolveCommit(repo, head)
	if err != nil {
		return "", err
	}
	return defaultBase(repo, c, head)
}

func defaultBase(repo *git.Repository, head *object.Commit, headRev string) (string, error) {
	var branch *object.Commit
	var name string
	for _, ref := range []plumbing.ReferenceName{
		"refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master",
		"refs/remotes/origin/main", "refs/remotes/origin/master",
	} {
		r, err := repo.Reference(ref, true)
		if err != nil {
			continue
		}
		if c, err := repo.CommitObject(r.Hash()); err == nil {
			branch, name = c, ref.Short()
			break
		}
	}
	if branch == nil {
		return "", errors.New("no default branch (origin/HEAD, main or master) to diff against; pass --base")
	}
	bases, err := head.MergeBase(branch)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return "", fmt.Errorf("merge-base of %s and %s: history is missing (a shallow clone?); fetch more history or pass --base: %w", headRev, name, err)
	}
	if err != nil {
		return "", fmt.Errorf("merge-base of %s and %s: %w", headRev, name, err)
	}
	if len(bases) == 0 {
		return "", fmt.Errorf("%s and %s share no history; pass --base", headRev, name)
	}
	return bases[0].Hash.String(), nil
}

func openRepo(dir string) (*git.Repository, error) {
	// DetectDotGit finds the repository from a subdirectory, as git does;
	// EnableDotGitCommonDir makes linked worktrees ("git worktree add")
	// find the shared object store.
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("not a git repository: %s", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	return repo, nil
}

// unborn reports whether HEAD names a branch with no commit yet.
func unborn(repo *git.Repository) bool {
	_, err := repo.Head()
	return errors.Is(err, plumbing.ErrReferenceNotFound)
}

// resolveCommit resolves rev as git rev-parse would (HEAD~1, a branch, a
// tag, a short id) and peels it to a commit.
func resolveCommit(repo *git.Repository, rev string) (*object.Commit, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, &RevisionError{Rev: rev, Err: err}
	}
	c, err := repo.CommitObject(*h)
	if err != nil {
		return nil, &RevisionError{Rev: rev, Err: err}
	}
	return c, nil
}

// repoSource reads blobs from a repository's object store. go-git's
// storages are not safe for concurrent use, so reads are serialised.
type repoSource struct {
	mu      sync.Mutex
	objects storer.EncodedObjectStorer
}

// Read implements Source.
func (s *repoSource) Read(ctx context.Context, f *File, side Side) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := f.HeadBlob
	if side == Base {
		id = f.BaseBlob
	}
	if id == "" {
		return nil, ErrNoContent
	}
	return s.blob(plumbing.NewHash(id))
}

func (s *repoSource) blob(h plumbing.Hash) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.objects.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return b, nil
}

func (s *repoSource) size(h plumbing.Hash) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.objects.EncodedObjectSize(h)
	if err != nil {
		return -1
	}
	return n
}

// file turns one tree change into a File, reading its blobs only when it
// is not skipped, and only long enough to compute its hunks.
func (s *repoSource) file(c *object.Change, limits Limits) (*File, error) {
	from, to := c.From, c.To
	f := &File{Size: -1, Source: s}
	switch {
	case from.Name == "":
		f.Status, f.Path = Added, to.Name
	case to.Name == "":
		f.Status, f.Path = Deleted, from.Name
	case from.Name != to.Name:
		f.Status, f.Path, f.OldPath = Renamed, to.Name, from.Name
	default:
		f.Status, f.Path = Modified, to.Name
	}
	if from.Name != "" {
		f.BaseBlob, f.OldMode = from.TreeEntry.Hash.String(), Mode(from.TreeEntry.Mode)
		f.Mode = f.OldMode
	}
	if to.Name != "" {
		f.HeadBlob, f.Mode = to.TreeEntry.Hash.String(), Mode(to.TreeEntry.Mode)
		if to.TreeEntry.Mode != filemode.Submodule {
			f.Size = s.size(to.TreeEntry.Hash)
		}
	}
	if f.Skipped = limits.CheckPath(f); f.Skipped != nil || f.HeadBlob == f.BaseBlob {
		return f, nil
	}
	head, err := s.blob(to.TreeEntry.Hash)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	var base []byte
	if f.BaseBlob != "" && !Mode(from.TreeEntry.Mode).IsSubmodule() {
		if base, err = s.blob(from.TreeEntry.Hash); err != nil {
			return nil, fmt.Errorf("%s: %w", f.BasePath(), err)
		}
	}
	if IsBinary(head) || IsBinary(base) {
		f.Skipped = &SkipReason{Code: SkipBinary}
		return f, nil
	}
	f.Hunks, f.Added = DiffBlobs(base, head)
	return f, nil
}
