// Package repoconfig loads a repository's Picket configuration for a pull
// request in the GitHub App.
//
// It owns where the configuration comes from: `.github/picket.yml` at
// the pull request's BASE commit (so a pull request cannot weaken its own
// review), else the organisation default in the owner's `.github`
// repository, else the defaults; and it keeps apart a configuration that
// could not be read (LoadErr: network, permission) from one that is
// invalid (ParseErr: YAML or keys, with a line), so the check summary can
// explain either, and records the source for provenance.
//
// Loader caches what it read, one per process shared by every scan: the
// repository's file (or its absence) per base commit until evicted, since
// a file at a commit never changes, and the organisation default for a
// TTL (DefaultOrgTTL, one minute), so a change to it takes effect within
// that time. Load errors are never cached. A cached Result's Config is
// shared: callers must not modify it. The package-level Load is the same
// search without a cache.
//
// Use, in the scan worker:
//
//	loader := repoconfig.NewLoader() // once, at start-up
//	res, err := loader.Load(ctx, client, owner, repo, baseSHA)
//	if err != nil { return err }             // ctx done
//	if res.Retryable() { return res.LoadErr } // let River retry
//	// scan with res.Config; the summary shows res.Source and, when set,
//	// res.LoadErr or res.ParseErr (".github/picket.yml:7: unknown key …"),
//	// and says so when repoconfig.ChangedByPR(paths).
//
// Parsing itself is scanners/config's. It uses app/gh for error kinds
// and must not import other app packages, templates or cmd.
package repoconfig
