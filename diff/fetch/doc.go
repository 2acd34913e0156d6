// Package fetch owns the changed-blob fetch: it downloads exactly a set of
// wanted blob ids from a git remote in one upload-pack exchange over smart
// HTTP (a GET of the capability advertisement unless it is remembered,
// and one POST for the pack),
// with the blob ids as the wants and no haves, demultiplexes the side-band
// and parses the packfile into go-git's in-memory object store. Nothing is
// written to disk. A byte cap bounds what one fetch may move.
//
// The v2 advertisement lists capabilities only, the same for every fetch
// from a remote, so an AdvertCache (WithAdvertCache) shared by the
// Fetchers of consecutive scans remembers it per remote URL, never per
// token, for a TTL: a fetch with a remembered advertisement makes one
// request, the POST. When the server rejects a request built from it in a
// way a stale advertisement explains, the entry is dropped and the fetch
// redone once with a fresh GET. v0 advertisements are never kept.
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
//	adverts := fetch.NewAdvertCache() // once per process
//	...
//	f, err := fetch.New(cloneURL, fetch.WithToken(token), fetch.WithMaxBytes(64<<20), fetch.WithAdvertCache(adverts))
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
