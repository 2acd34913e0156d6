package jobs

import (
	"github.com/riverqueue/river"
)

// ScanArgs asks for one scan of a pull request's head. River keeps it
// unique per (repository, pull request, head SHA) while it is queued or
// running, so duplicate and redelivered events collapse into one job.
type ScanArgs struct {
	InstallationID int64  `json:"installation_id"`
	Repo           string `json:"repo" river:"unique"` // owner/name
	PR             int    `json:"pr" river:"unique"`
	HeadSHA        string `json:"head_sha" river:"unique"`
	BaseSHA        string `json:"base_sha,omitempty"`
	Reason         string `json:"reason"` // opened, synchronize, rescan, rerun…
	DeliveryID     string `json:"delivery_id,omitempty"`
	// Files is the pull request's changed_files as the event reported
	// it (0: unknown): a hint that lets the scan request every page of
	// the file listing at once instead of learning their number from the
	// first. Never trusted beyond that (the first page's Link header
	// decides), so a stale count costs requests, not correctness.
	Files int `json:"files,omitempty"`
}

// Kind implements river.JobArgs.
func (ScanArgs) Kind() string { return "picket_scan" }

// InsertOpts makes scans unique by their tagged fields in River's
// required states (available, pending, running, scheduled) plus
// retryable, and gives them the attempts of a transient-failure budget.
func (ScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}
