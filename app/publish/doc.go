// Package publish turns a scan's *scanners.Report into what a pull
// request shows on GitHub: a check run named "Picket" (title, summary,
// annotations in batches of 50, a Re-scan button, a conclusion) and one
// pull-request review per scan with inline comments, plus the resolution
// of threads whose finding is gone.
//
// It owns the Publisher interface and its two implementations, Checks and
// Reviews, composed with Multi (reviewdog's MultiCommentService); the
// small State interface that remembers GitHub ids (check run per head,
// comment per fingerprint) with an in-memory implementation; and the
// retry classification of GitHub errors (Retryable).
//
// Publishing is idempotent: every comment carries a hidden marker with
// its finding's fingerprint (templates.Marker), and Publish reads both the
// stored ids and the markers of the comments already on the pull request
// before posting, so a crash between posting and storing never produces a
// duplicate. Identity is the fingerprint, never the line.
//
// It may import diff, scanners, templates and go-github; it must not
// import the other app/… packages (the worker calls it, not the reverse)
// or cmd/….
package publish
