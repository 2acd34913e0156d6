// Package fetch owns the changed-blob fetch: it downloads exactly a set of
// wanted blob ids from a git remote in one upload-pack exchange over smart
// HTTP (one GET for the capability advertisement, one POST for the pack),
// with the blob ids as the wants and no haves, demultiplexes the side-band
// and parses the packfile into go-git's in-memory object store. Nothing is
// written to disk. A byte cap bounds what one fetch may move.
//
// It speaks protocol v2 when the server offers it (GitHub does): v2 does
// not advertise the server's refs, so only the changed blobs cross the
// wire, and v2 accepts any object id as a want. Against a v0-only server
// it needs allow-reachable-sha1-in-want (allow-tip covers only ref tips,
// never blobs). When the server refuses, Fetch returns a *RefusedError and
// Load falls back to a BlobGetter (the REST blobs API) with bounded
// concurrency.
//
// The pkt-line, side-band and packfile handling are go-git's packages; the
// request is built here because go-git v5's transport speaks only
// protocol v0/v1, whose advertisement lists every ref of the repository.
// No git binary is used at run time.
//
// Typical use, after listing a pull request's files into a ChangeSet:
//
//	f, err := fetch.New(cloneURL, fetch.WithToken(token), fetch.WithMaxBytes(64<<20))
//	...
//	blobs, stats, err := f.Load(ctx, fetch.Wants(cs, diff.Head, diff.Base), restGetter)
//	...
//	fetch.Attach(cs, blobs) // File.Content now reads the fetched bytes
//
// No filter is sent: wanting a blob by id brings that blob and nothing
// else, so "filter blob:none" would add nothing.
//
// Blobs implements diff.Source. This package may import diff and go-git;
// it must not import scanners, app or any GitHub client library.
package fetch
