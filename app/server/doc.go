// Package server is `picket serve`: it loads the configuration
// (environment over an optional YAML file over defaults), opens the store
// and the River queue, and serves
//
//	POST /webhook   the verified webhook handler (app/webhook) recording
//	                deliveries and enqueuing jobs (app/jobs, app/event)
//	GET  /healthz   the process is up
//	GET  /readyz    the database answers and the queue is started
//	GET  /metrics   Prometheus (app/metrics, a private registry)
//	GET  /          a home page saying what is configured or missing
//
// Without app credentials it still starts: webhooks are refused with 503,
// and the home page and the log name the missing settings and how to
// register the app. On context cancellation it stops accepting requests,
// lets running jobs finish within the shutdown timeout and closes the
// store.
//
// The private key and the webhook secret are never logged nor shown.
//
// It is the composition root of the app packages; only cmd imports it.
package server
