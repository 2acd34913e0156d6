// Package pipeline is the scan job of the GitHub App: it implements
// jobs.Pipeline by wiring the parts of issue 4 into one run per pull
// request head:
//
//  1. an installation client, and publish.Begin (the check run goes
//     in_progress before anything slow happens);
//  2. repoconfig.Load at the BASE commit (a parse or load error is shown in
//     the summary and the defaults are used; a retryable load error is
//     returned so River retries);
//  3. the pull request's files (100 a page, at most 3,000; every page
//     requested at once when the event said how many files there are)
//     into a diff.ChangeSet: hunks from GitHub's patch, or, when GitHub
//     omits it, computed with diff.DiffBlobs after the fetch; removed
//     files skipped;
//  4. one git fetch (diff/fetch) of exactly the blobs the engine will
//     read: not cached, not skipped by path or the base configuration's
//     excludes; falling back to the REST blobs API when the server
//     refuses the fetch (a blob missed anyway, e.g. a cache entry evicted
//     between fetch and scan, is read alone with REST);
//  5. registry.Engine with the result cache, so a later push neither
//     refetches nor rescans unchanged files;
//  6. publish.Publish (check run and review) under the pull request's
//     publish lease, which is taken beside the fetch, with the review's
//     reads of what is already posted started under it
//     (publish.Prefetcher); the summary's "fetched in" line shows this
//     job's fetched bytes and whole time.
//
// The result cache is an in-memory LRU by default (NewLRU); WithCache
// takes any scanners.Cache, such as a SQL one shared by replicas. The
// pipeline mirrors the engine's cache key to leave cached files out of
// the fetch.
//
// Metrics hooks: WithCacheObserver counts the engine's result-cache
// look-ups by the cache's layer (CacheLayer), and WithScanSize lets the
// caller of Scan learn the number of files changed, for the scan duration
// by size class; the pipeline itself imports no metrics package.
//
// Base blob ids. GitHub's file list gives only the head blob id (sha).
// The base ids are read from the contents API listing of each parent
// directory of a modified or renamed file at the base commit: one request
// per distinct directory, which is far less than a recursive tree of a
// large repository and needs no extra permission. They are needed before
// the fetch anyway, because the result cache is keyed by both blob ids.
//
// Head and base blobs are fetched together in ONE fetch, not the base
// lazily in a second one: the base is needed only for files with head
// findings, but a second round trip costs more than the base blobs of the
// few files a pull request changes, and the engine reads the base through
// the same diff.Source without knowing where it came from.
//
// Blobs always come from the BASE repository's clone URL: GitHub keeps a
// fork pull request's head commits under refs/pull/N/head of the base
// repository, and the app's token is not valid for the fork.
//
// Errors after Begin: a retryable one (publish.Retryable, gh.Kind) is
// returned for River to retry (its backoff, not a snooze, so attempts
// stay bounded), except on the job's last attempt
// (WithAttempt, set by Worker), when the check run is aborted (neutral with
// the reason) so it never hangs; a permanent one aborts and returns
// river.JobCancel.
//
// It may import app/gh, app/internal/later, app/jobs, app/publish,
// app/repoconfig, diff, diff/fetch, scanners and scanners/registry; it
// must not import app/webhook, app/event, app/store or cmd.
package pipeline
