// Package logkey holds the slog attribute keys every Picket package uses
// for the same facts, so logs can be filtered by one name across the
// webhook handler, the jobs and the publishers. It imports nothing.
package logkey

// The keys.
const (
	DeliveryID     = "delivery_id"     // X-GitHub-Delivery
	InstallationID = "installation_id" // the app installation
	Repo           = "repo"            // owner/name
	PR             = "pr"              // pull request number
	HeadSHA        = "head_sha"        // the pull request head scanned
	JobID          = "job_id"          // the River job id
	Event          = "event"           // X-GitHub-Event
)
