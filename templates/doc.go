// Package templates renders everything Picket writes on GitHub as
// Markdown: the check run's title and summary, the review body, inline
// comments, the "fixed in" edit and command replies.
//
// It owns the embedded *.md.tmpl files, the view-model structs the
// templates read, and Render(name, view). Builders (NewSummary,
// NewComment, …) turn a *scanners.Report or a scanners.Finding into a
// view; templates never see a raw secret, only Evidence.String().
//
// It must not import app/…, cmd/…, go-github or River: rendering is pure
// and tested with golden files (go test ./templates -update rewrites them).
package templates
