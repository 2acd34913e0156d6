// Package store is Picket's persistence: the database behind both River's
// queue and the app's own tables (deliveries, newest heads, installations,
// the reconciler's marks, and the other tables listed in schema.go).
//
// Open takes PICKET_DATABASE_URL: "sqlite:PATH" (the embedded default,
// pure Go through modernc.org/sqlite, one replica) or a "postgres://" /
// "postgresql://" URL (pgx: a pgxpool.Pool, with Store.DB a database/sql
// handle over the same pool; many replicas). The app's schema is one list
// of versioned migrations written in the SQL both dialects accept, applied
// under a lock so replicas may start together. Tx is a transaction on
// either dialect whose Driver is the *sql.Tx or pgx.Tx River's driver
// needs, so package jobs can enqueue inside the app's transactions.
// River's own migrations are run by package jobs, which owns the River
// driver.
//
// Subpackage storetest gives tests a fresh database of each dialect.
//
// The durable state of the GitHub App lives here too: publish.State (check
// run and comment ids), the result cache (a scanners.Cache), ignores, the
// rate budget and concurrency slots shared by replicas.
//
// It imports scanners only for the types it stores (Fingerprint,
// CacheKey, CachedFile). It must not import package jobs, app/publish or
// any GitHub client (app/gh included: app/server adapts Budget's error).
package store
