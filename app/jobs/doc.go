// Package jobs is Picket's durable work: River job argument types with
// their uniqueness keys, the workers, the queue (a River client on the
// store's database) and the webhook Recorder that records a delivery and
// enqueues its jobs in one transaction.
//
// Handlers decide what work a delivery means (package event); this
// package only makes it durable and runs it.
package jobs
