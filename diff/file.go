package diff

import (
	"context"
	"errors"
	"fmt"
)

// Status says how a file changed between base and head.
type Status int

// The statuses a File can have.
const (
	Added Status = iota + 1
	Modified
	Renamed
	Deleted
	Copied
)

var statusNames = map[Status]string{
	Added: "added", Modified: "modified", Renamed: "renamed", Deleted: "deleted", Copied: "copied",
}

// String returns the lower-case name GitHub also uses ("added", "renamed"…).
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ParseStatus maps GitHub's file status names to a Status. GitHub's
// "changed" (mode only) maps to Modified.
func ParseStatus(s string) (Status, error) {
	switch s {
	case "changed":
		return Modified, nil
	case "removed":
		return Deleted, nil
	}
	for k, v := range statusNames {
		if v == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown file status %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Side selects one version of a changed file.
type Side int

// The two sides of a change.
const (
	Head Side = iota // the new version (GitHub's RIGHT)
	Base             // the old version (GitHub's LEFT)
)

// String returns "head" or "base".
func (s Side) String() string {
	if s == Base {
		return "base"
	}
	return "head"
}

// Mode is a git file mode.
type Mode uint32

// Git file modes Picket distinguishes.
const (
	ModeRegular    Mode = 0o100644
	ModeExecutable Mode = 0o100755
	ModeSymlink    Mode = 0o120000
	ModeSubmodule  Mode = 0o160000
)

// IsSymlink reports whether the mode is a symbolic link.
func (m Mode) IsSymlink() bool { return m == ModeSymlink }

// IsSubmodule reports whether the mode is a gitlink (submodule).
func (m Mode) IsSubmodule() bool { return m == ModeSubmodule }

// String renders the mode as git does ("100644").
func (m Mode) String() string { return fmt.Sprintf("%06o", uint32(m)) }

// Source supplies file contents. Implementations must be safe for
// concurrent use; they return ErrNoContent when a side does not exist.
type Source interface {
	Read(ctx context.Context, f *File, side Side) ([]byte, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context, f *File, side Side) ([]byte, error)

// Read calls fn.
func (fn SourceFunc) Read(ctx context.Context, f *File, side Side) ([]byte, error) {
	return fn(ctx, f, side)
}

// ErrNoContent is returned for a side that does not exist (the base of an
// added file, the head of a deleted one) or whose bytes are not available.
var ErrNoContent = errors.New("no content for this side")

// File is one changed file of a ChangeSet.
type File struct {
	Path    string // head path (base path for a deleted file)
	OldPath string // base path when renamed or copied, else empty
	Status  Status
	Mode    Mode // head mode (base mode for a deleted file)
	OldMode Mode // base mode; zero for an added file

	HeadBlob string // hex blob id of the head version; empty if deleted
	BaseBlob string // hex blob id of the base version; empty if added
	Size     int64  // head size in bytes when known, else -1

	Hunks []Hunk  // the unified-diff hunks, head numbering in NewStart
	Added LineSet // head lines added or changed by the change

	// Skipped is set when the file is not scanned; the reason reaches the report.
	Skipped *SkipReason

	// Partial is true when the contents are reconstructed from hunks only
	// (a unified diff without the repository): lines outside the hunks are blank.
	Partial bool

	// Source reads the contents; nil means no contents are available.
	Source Source `json:"-"`
}

// BasePath is the path of the base version.
func (f *File) BasePath() string {
	if f.OldPath != "" {
		return f.OldPath
	}
	return f.Path
}

// HasBase reports whether a base version exists.
func (f *File) HasBase() bool { return f.Status != Added && f.Status != Copied }

// Content returns the bytes of one side of the file. It returns
// ErrNoContent when that side does not exist.
func (f *File) Content(ctx context.Context, side Side) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if side == Base && !f.HasBase() || side == Head && f.Status == Deleted || f.Source == nil {
		return nil, ErrNoContent
	}
	b, err := f.Source.Read(ctx, f, side)
	if err != nil {
		return nil, fmt.Errorf("read %s of %s: %w", side, f.Path, err)
	}
	return b, nil
}

// AnchorOK reports whether a review comment may be anchored to head lines
// start..end: both ends must lie in the same hunk, on added or context
// lines (reviewdog's InDiffContext rule). GitHub rejects a whole review with
// 422 when one comment is not part of the diff.
func (f *File) AnchorOK(start, end int) bool {
	if end < start {
		end = start
	}
	for _, h := range f.Hunks {
		if h.containsNew(start) && h.containsNew(end) {
			return true
		}
	}
	return false
}

// ChangeSet is the set of files changed between two revisions.
type ChangeSet struct {
	Base  string // base revision (commit id) when known
	Head  string // head revision (commit id) when known
	Files []*File
}

// File returns the file with the given head path, or nil.
func (cs *ChangeSet) File(path string) *File {
	for _, f := range cs.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}
