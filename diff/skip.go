package diff

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// SkipCode says why a file was not scanned.
type SkipCode string

// Reasons a file is skipped.
const (
	SkipBinary    SkipCode = "binary"
	SkipTooLarge  SkipCode = "too-large"
	SkipGenerated SkipCode = "generated"
	SkipVendored  SkipCode = "vendored"
	SkipSymlink   SkipCode = "symlink"
	SkipSubmodule SkipCode = "submodule"
	SkipDeleted   SkipCode = "deleted"
	SkipExcluded  SkipCode = "excluded"
	SkipUnchanged SkipCode = "unchanged" // pure rename or mode change
	SkipError     SkipCode = "error"
)

// SkipReason explains a skipped file.
type SkipReason struct {
	Code   SkipCode `json:"code"`
	Detail string   `json:"detail,omitempty"`
}

// String renders "too-large: 3.1 MiB over the 2 MiB cap".
func (r *SkipReason) String() string {
	if r.Detail == "" {
		return string(r.Code)
	}
	return string(r.Code) + ": " + r.Detail
}

// DefaultMaxFileSize is the default size cap for scanned files.
const DefaultMaxFileSize = 2 << 20

// Limits decides which files are skipped before or after their bytes are read.
type Limits struct {
	MaxFileSize int64 // bytes; 0 means DefaultMaxFileSize, negative means no cap
}

func (l Limits) maxSize() int64 {
	if l.MaxFileSize == 0 {
		return DefaultMaxFileSize
	}
	return l.MaxFileSize
}

// vendoredDirs are path segments under which third-party code lives.
var vendoredDirs = []string{"vendor", "node_modules", "bower_components", "third_party", "Pods", "Carthage", ".yarn"}

// generatedSuffixes are file name endings of machine-written files.
var generatedSuffixes = []string{".min.js", ".min.css", ".pb.go", "_pb2.py", ".pb.cc", ".pb.h", ".map", "_generated.go", ".gen.go"}

// CheckPath returns a reason to skip f judged from its path, mode, status
// and known size alone, or nil.
func (l Limits) CheckPath(f *File) *SkipReason {
	switch {
	case f.Status == Deleted:
		return &SkipReason{Code: SkipDeleted}
	case f.Mode.IsSymlink():
		return &SkipReason{Code: SkipSymlink, Detail: "symbolic links are recorded, never followed"}
	case f.Mode.IsSubmodule():
		return &SkipReason{Code: SkipSubmodule}
	case (f.Status == Renamed || f.Status == Copied) && f.HeadBlob != "" && f.HeadBlob == f.BaseBlob:
		return &SkipReason{Code: SkipUnchanged, Detail: "renamed without content change"}
	}
	if max := l.maxSize(); max > 0 && f.Size > max {
		return tooLarge(f.Size, max)
	}
	segs := strings.Split(f.Path, "/")
	for _, s := range segs[:len(segs)-1] {
		for _, v := range vendoredDirs {
			if s == v {
				return &SkipReason{Code: SkipVendored, Detail: "under " + v + "/"}
			}
		}
	}
	base := path.Base(f.Path)
	for _, suf := range generatedSuffixes {
		if strings.HasSuffix(base, suf) {
			return &SkipReason{Code: SkipGenerated, Detail: "*" + suf + " files are generated"}
		}
	}
	return nil
}

// CheckContent returns a reason to skip a file judged from its bytes
// (binary, over the size cap, or marked as generated), or nil.
func (l Limits) CheckContent(content []byte) *SkipReason {
	if max := l.maxSize(); max > 0 && int64(len(content)) > max {
		return tooLarge(int64(len(content)), max)
	}
	if IsBinary(content) {
		return &SkipReason{Code: SkipBinary}
	}
	if isGenerated(content) {
		return &SkipReason{Code: SkipGenerated, Detail: `marked "Code generated … DO NOT EDIT"`}
	}
	return nil
}

func tooLarge(size, max int64) *SkipReason {
	return &SkipReason{Code: SkipTooLarge, Detail: fmt.Sprintf("%s over the %s cap", HumanBytes(size), HumanBytes(max))}
}

// IsBinary reports whether content looks binary: a NUL byte in its first 8000
// bytes, the heuristic git itself uses.
func IsBinary(content []byte) bool {
	n := min(len(content), 8000)
	return bytes.IndexByte(content[:n], 0) >= 0
}

// isGenerated looks for Go's generated-code marker (and the common
// "@generated" tag) in the first lines of the file.
func isGenerated(content []byte) bool {
	head := content[:min(len(content), 1024)]
	if bytes.Contains(head, []byte("@generated")) {
		return true
	}
	i := bytes.Index(head, []byte("Code generated "))
	return i >= 0 && bytes.Contains(head[i:], []byte("DO NOT EDIT"))
}

// HumanBytes renders a byte count as "3.1 MiB", "12.0 KiB" or "512 B", the
// form every report and summary uses.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
