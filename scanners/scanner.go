package scanners

import (
	"context"

	"github.com/picketsec/picket/diff"
)

// Input is one version of one file, handed to Scanner.Scan. The engine
// owns the bytes: a scanner must not keep Content after Scan returns.
type Input struct {
	File    *diff.File
	Side    diff.Side
	Path    string // path of this version: File.Path for head, File.BasePath() for base
	Content []byte
}

// Scanner detects one family of problems in single files.
//
// Implementations hold no per-run state and are safe for concurrent use.
// Scan must return ctx.Err() when the context is cancelled, never a partial
// result as if complete. A returned error is recorded against the file in
// the report and does not stop other files or scanners.
type Scanner interface {
	// Name is the scanner's short name, the prefix of its rule ids.
	Name() string
	// Version changes whenever the rules or their logic change; it is part
	// of the result-cache key (blob id, scanner version).
	Version() int
	// Rules lists every rule the scanner can report.
	Rules() []Rule
	// Wants is a cheap decision from path and mode alone.
	Wants(f *diff.File) bool
	// Scan reports the problems in one version of one file. Each Finding
	// must carry Rule (one of Rules()), Range, Message and Match; the
	// engine fills Path, Severity, Fingerprint and Placement.
	Scan(ctx context.Context, in Input) ([]Finding, error)
}

// CrossFile is an optional capability, detected by type assertion, for the
// rare scanner that needs the whole change set at once. Its findings go
// through the same fingerprinting and suppression as per-file ones, but
// not through the base set difference: ScanSet must itself report only
// what the change introduces.
type CrossFile interface {
	ScanSet(ctx context.Context, cs *diff.ChangeSet) ([]Finding, error)
}

// Cache stores the final per-file results of earlier runs so that a later
// push neither fetches nor scans a file whose head and base blobs are
// unchanged. Results are stored after the base set difference and inline
// suppressions (which depend only on the two blobs) and before the policy
// (which may change between runs). Implementations must be safe for
// concurrent use. Get and Put are best-effort: a failing cache only costs
// a rescan.
type Cache interface {
	Get(ctx context.Context, key CacheKey) (CachedFile, bool)
	Put(ctx context.Context, key CacheKey, v CachedFile)
}

// CacheKey identifies one file's result: its path, both blob ids and the
// names and versions of the scanners that read it.
type CacheKey struct {
	Path     string
	HeadBlob string
	BaseBlob string
	Scanners string // "build@3,secrets@7"
}

// CachedFile is a cached per-file result.
type CachedFile struct {
	Findings   []Finding           `json:"findings"`
	Suppressed []SuppressedFinding `json:"suppressed,omitempty"`
	Bytes      int64               `json:"bytes"`
}
