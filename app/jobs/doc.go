// Package jobs is Picket's durable work: River job argument types with
// their uniqueness keys, the workers, the queue (a River client on the
// store's database, with River's SQLite or pgx driver after its dialect)
// and the webhook Recorder that records a delivery and enqueues its jobs
// in one transaction.
//
// Handlers decide what work a delivery means (package event); this
// package only makes it durable and runs it. It must not import a GitHub
// client or the pipeline.
package jobs
