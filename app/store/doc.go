// Package store is Picket's persistence: the database behind both River's
// queue and the app's own tables (deliveries, and later scans, comment ids
// by fingerprint, suppressions and the blob result cache).
//
// Open takes PICKET_DATABASE_URL: "sqlite:PATH" (the embedded default,
// pure Go through modernc.org/sqlite) or a "postgres://" URL (many
// replicas, issue 6). The app's schema is one list of versioned
// migrations written in the SQL both dialects accept; River's own
// migrations run through rivermigrate for the same driver.
//
// It must not import scanners or any GitHub client.
package store
