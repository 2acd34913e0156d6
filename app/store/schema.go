package store

// migrations is the app's schema, one list for both dialects. Each entry
// runs once, in order, in its own transaction; never edit a released
// entry, append a new one.
var migrations = []string{
	// 1: deliveries, keyed by X-GitHub-Delivery.
	`CREATE TABLE picket_delivery (
		id              TEXT PRIMARY KEY,
		event           TEXT NOT NULL,
		action          TEXT NOT NULL,
		installation_id BIGINT NOT NULL,
		received_at     BIGINT NOT NULL
	)`,
	// 2: installations, recorded from installation events.
	`CREATE TABLE picket_installation (
		id         BIGINT PRIMARY KEY,
		account    TEXT NOT NULL,
		suspended  BOOLEAN NOT NULL DEFAULT FALSE,
		deleted    BOOLEAN NOT NULL DEFAULT FALSE,
		updated_at BIGINT NOT NULL
	)`,
	// 3: the newest head of each pull request; a job whose head is older
	// has been superseded, and an empty head means the pull request closed.
	`CREATE TABLE picket_pr_head (
		repo       TEXT NOT NULL,
		pr         BIGINT NOT NULL,
		head_sha   TEXT NOT NULL,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (repo, pr)
	)`,
	// 4: the reconciler's watermarks (app/reconcile): the newest webhook
	// delivery time it has looked at, per name, in unix milliseconds.
	`CREATE TABLE picket_reconcile_mark (
		name       TEXT PRIMARY KEY,
		at         BIGINT NOT NULL,
		updated_at BIGINT NOT NULL
	)`,
	// 5: redeliveries the reconciler asked GitHub for, per delivery GUID,
	// so a delivery the app keeps failing is retried a bounded number of
	// times and not every run for three days.
	`CREATE TABLE picket_redelivery (
		guid         TEXT PRIMARY KEY,
		attempts     BIGINT NOT NULL,
		requested_at BIGINT NOT NULL
	)`,
}
