// Package reconcile recovers the work that webhooks failed to bring.
//
// GitHub does not redeliver a webhook by itself: a delivery the app
// answered with an error, or never received (a deploy, a crash, a
// network fault), is lost unless someone asks for it again. This package
// owns two River jobs that do, run periodically by River's leader so
// that one replica does it:
//
//   - Redeliverer lists the app's webhook deliveries since its watermark
//     (at most the three days GitHub keeps) and asks GitHub to redeliver
//     every delivery whose newest attempt failed, which the store has
//     not recorded, and which has not been redelivered too often;
//   - Sweeper walks every active installation's repositories' open pull
//     requests and enqueues a scan for each head that has no completed
//     Picket check run. It runs at start-up and then rarely, and catches
//     what is older than GitHub's delivery log.
//
// Both bound their work per run and read through the app's GitHub
// clients, whose middleware backs off on 403 and 429.
//
// Each run is reported to an optional Observer (kind, outcome, and the
// redeliveries and scans it led to), which app/metrics implements
// without this package importing it.
//
// It imports app/gh's clients through the small Clients interface, the
// store, app/jobs (ScanArgs) and app/publish (the check-run name). It
// must not import app/server, app/webhook, app/event or cmd.
package reconcile
