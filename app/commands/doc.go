// Package commands runs the "/picket …" commands people write in
// pull-request comments, as a River worker: the router (app/event) turns
// an issue_comment delivery into CommandArgs, and Worker acknowledges the
// comment, checks the author's permission, runs the command and answers.
//
// Parsing is app/command's (pure); this package owns execution: the
// reactions (eyes on receipt, rocket when done), the permission check
// with the collaborator permission API, the ignore records added by
// ignore and removed by unignore (through the Ignores interface,
// implemented by app/store), the rescan (a
// jobs.ScanArgs through the Enqueuer interface) and the replies rendered
// from templates.
//
// Retries are safe: reactions are idempotent on GitHub's side, an ignore
// is an upsert, an unignore answers before it deletes and recognises its
// own earlier confirmation, a rescan of a queued head collapses by River
// uniqueness, and a reply carries a hidden marker with the command comment's id, so a
// retried job finds its earlier reply instead of posting a second one.
//
// It may import app/command, app/gh, app/jobs, app/store, app/server/logkey
// and templates;
// it must not import app/event, app/webhook, app/server or cmd.
package commands
