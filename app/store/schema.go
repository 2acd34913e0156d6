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
}
