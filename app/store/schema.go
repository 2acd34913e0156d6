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
	// 6: the check run Picket opened per head commit (app/publish.State),
	// so a retried job updates it instead of opening a second one.
	`CREATE TABLE picket_check_run (
		repo       TEXT NOT NULL,
		head_sha   TEXT NOT NULL,
		run_id     BIGINT NOT NULL,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (repo, head_sha)
	)`,
	// 7: the review comment posted per finding fingerprint on a pull
	// request (app/publish.State): never a second comment for one finding.
	`CREATE TABLE picket_comment (
		repo        TEXT NOT NULL,
		pr          BIGINT NOT NULL,
		fingerprint TEXT NOT NULL,
		comment_id  BIGINT NOT NULL,
		updated_at  BIGINT NOT NULL,
		PRIMARY KEY (repo, pr, fingerprint)
	)`,
	// 8: the per-file result cache shared by replicas (scanners.Cache).
	// key is the hex SHA-256 of the scanners.CacheKey fields (a path can
	// outgrow a PostgreSQL index entry; a hash cannot), which are kept
	// beside it for inspection; value is the CachedFile as JSON;
	// last_used (unix ms) orders eviction.
	`CREATE TABLE picket_result_cache (
		key       TEXT PRIMARY KEY,
		path      TEXT NOT NULL,
		head_blob TEXT NOT NULL,
		base_blob TEXT NOT NULL,
		scanners  TEXT NOT NULL,
		value     TEXT NOT NULL,
		last_used BIGINT NOT NULL
	)`,
	// 9: eviction reads the least recently used cache rows.
	`CREATE INDEX picket_result_cache_last_used ON picket_result_cache (last_used)`,
	// 10: "/picket ignore" decisions; pr 0 means the whole repository.
	`CREATE TABLE picket_ignore (
		repo     TEXT NOT NULL,
		pr       BIGINT NOT NULL,
		id       TEXT NOT NULL,
		reason   TEXT NOT NULL,
		by_login TEXT NOT NULL,
		at       BIGINT NOT NULL,
		PRIMARY KEY (repo, pr, id)
	)`,
	// 11: the repositories each installation covers (owner/name).
	`CREATE TABLE picket_installation_repo (
		installation_id BIGINT NOT NULL,
		repo            TEXT NOT NULL,
		added_at        BIGINT NOT NULL,
		PRIMARY KEY (installation_id, repo)
	)`,
	// 12: content-creating requests booked per installation across
	// replicas (the rate budget); send_at is unix ms and may lie ahead.
	`CREATE TABLE picket_budget_send (
		installation_id BIGINT NOT NULL,
		send_at         BIGINT NOT NULL
	)`,
	// 13: the budget reads one installation's bookings in time order.
	`CREATE INDEX picket_budget_send_inst ON picket_budget_send (installation_id, send_at)`,
	// 14: per-installation concurrency leases across replicas: one row per
	// (installation, slot index), free once expires_at (unix ms) passed.
	`CREATE TABLE picket_slot (
		installation_id BIGINT NOT NULL,
		slot            BIGINT NOT NULL,
		holder          TEXT NOT NULL,
		expires_at      BIGINT NOT NULL,
		PRIMARY KEY (installation_id, slot)
	)`,
}
