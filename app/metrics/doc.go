// Package metrics owns Picket's Prometheus metrics: webhook deliveries by
// event and outcome, GitHub API requests by endpoint class and status,
// the rate-limit budget left and the content budget's waits, scan
// durations by outcome and size class, findings by kind and severity,
// queue depth (read from the database on scrape, WatchQueue) and wait,
// result-cache look-ups and hits by layer, and the per-installation
// fairness snoozes, and the runs of the background jobs (the
// reconciler's redeliveries and sweep, the retention's pruning) with
// their last success. docs/metrics.md lists every name; keep the two in
// step and never rename one (dashboards and alerts in deploy/ use them). Everything is registered on a private prometheus.Registry
// (never the global one), so two servers in one test process do not
// collide, and served by Handler.
//
// Labels stay low-cardinality: unknown webhook event names collapse to
// "other" (the event header is read before the signature is checked, so
// it is attacker-controlled), endpoint classes come from app/gh.
//
// It implements app/gh's Metrics interface and imports app/gh only to
// assert that; it must not import any other app package, scanners or cmd
// (the server counts findings and passes plain labels).
package metrics
