package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
)

// statuses maps GitHub's file status to the change model's; "removed"
// and "unchanged" are not scanned.
var statuses = map[string]diff.Status{
	"added": diff.Added, "modified": diff.Modified, "changed": diff.Modified,
	"renamed": diff.Renamed, "copied": diff.Copied,
}

// changeSet turns GitHub's files into a ChangeSet. Files whose patch
// GitHub omitted are returned in noPatch: their hunks come from
// diff.DiffBlobs once the blobs are fetched.
func changeSet(files []*github.CommitFile, base, head string) (cs *diff.ChangeSet, noPatch []*diff.File, err error) {
	cs = &diff.ChangeSet{Base: base, Head: head}
	for _, gf := range files {
		st, ok := statuses[gf.GetStatus()]
		if !ok {
			continue // removed: nothing introduced; unchanged: nothing to see
		}
		f := &diff.File{
			Path: gf.GetFilename(), Status: st, Mode: diff.ModeRegular,
			HeadBlob: strings.ToLower(gf.GetSHA()), Size: -1,
		}
		if st == diff.Renamed || st == diff.Copied {
			f.OldPath = gf.GetPreviousFilename()
		}
		if f.HasBase() {
			f.OldMode = diff.ModeRegular
		}
		if gf.Patch == nil {
			noPatch = append(noPatch, f)
		} else {
			hunks, added, err := diff.ParsePatch(gf.GetPatch())
			if err != nil {
				return nil, nil, fmt.Errorf("parse patch of %s: %w", f.Path, err)
			}
			f.Hunks, f.Added = hunks, added
		}
		cs.Files = append(cs.Files, f)
	}
	return cs, noPatch, nil
}

// baseBlobs fills BaseBlob of every file that has a base version: from
// known (ids learnt by earlier scans of the same base), else from the
// contents API listing of its base directory at baseSHA, one request per
// distinct directory. A file whose base path is missing from the listing
// keeps an empty BaseBlob and is scanned as if added.
func baseBlobs(ctx context.Context, c *github.Client, known *baseIDs, owner, repo, baseSHA string, cs *diff.ChangeSet) (requests int, err error) {
	var withBase []*diff.File
	for _, f := range cs.Files {
		if f.HasBase() {
			withBase = append(withBase, f)
		}
	}
	full := owner + "/" + repo
	dirs := map[string][]*diff.File{}
	for _, f := range known.fill(full, baseSHA, withBase) {
		d := path.Dir(f.BasePath())
		if d == "." {
			d = ""
		}
		dirs[d] = append(dirs[d], f)
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		byPath, err := listDir(ctx, c, owner, repo, baseSHA, d)
		requests++
		if err != nil {
			return requests, err
		}
		for _, f := range dirs[d] {
			id, ok := byPath[f.BasePath()]
			if !ok {
				// The contents API lists at most 1,000 entries of a
				// directory; ask for the file itself. Without its base the
				// file would be scanned as added and old findings shown
				// as new.
				if id, err = fileBlob(ctx, c, owner, repo, baseSHA, f.BasePath()); err != nil {
					return requests, err
				}
				requests++
				byPath[f.BasePath()] = id
			}
			f.BaseBlob = id
		}
		known.learn(full, baseSHA, byPath)
	}
	return requests, nil
}

// cacheKey mirrors the engine's per-file result-cache key (path, both
// blob ids, the sorted name@version of the scanners that want the file),
// so the pipeline can leave cached files out of the fetch.
func cacheKey(e *scanners.Engine, f *diff.File) scanners.CacheKey {
	var names []string
	for _, s := range e.Scanners() {
		if s.Wants(f) {
			names = append(names, s.Name()+"@"+strconv.Itoa(s.Version()))
		}
	}
	sort.Strings(names)
	return scanners.CacheKey{Path: f.Path, HeadBlob: f.HeadBlob, BaseBlob: f.BaseBlob, Scanners: strings.Join(names, ",")}
}

// toFetch is the change set reduced to the files the engine will read:
// not skipped by path (diff.Limits.CheckPath, the configuration's
// excludes) and not cached; their blobs are all the fetch needs.
func toFetch(e *scanners.Engine, cache scanners.Cache, cfg *config.Config, cs *diff.ChangeSet, noPatch []*diff.File) (*diff.ChangeSet, int) {
	needed := map[*diff.File]bool{}
	for _, f := range noPatch {
		needed[f] = true // the hunks come from the blobs
	}
	sub := &diff.ChangeSet{Base: cs.Base, Head: cs.Head}
	reused := 0
	limits := diff.Limits{MaxFileSize: cfg.MaxFileSize}
	for _, f := range cs.Files {
		if limits.CheckPath(f) != nil || excluded(cfg.Exclude, f.Path) {
			continue // the engine skips it without reading it
		}
		if !needed[f] && f.HeadBlob != "" && cache != nil {
			if _, ok := cache.Get(context.Background(), cacheKey(e, f)); ok {
				reused++
				continue
			}
		}
		sub.Files = append(sub.Files, f)
	}
	return sub, reused
}

// listDir maps the files of directory dir at ref to their blob ids; a
// directory that does not exist there is empty. The root ("") is read
// through the git trees API: the contents API's path is required by
// GitHub's description, so an empty one is not a request it documents.
func listDir(ctx context.Context, c *github.Client, owner, repo, ref, dir string) (map[string]string, error) {
	if dir == "" {
		return listRoot(ctx, c, owner, repo, ref)
	}
	_, entries, resp, err := c.Repositories.GetContents(ctx, owner, repo, dir, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return map[string]string{}, nil
		}
		return nil, fmt.Errorf("list %q at base %.12s: %w", dir, ref, err)
	}
	byPath := make(map[string]string, len(entries))
	for _, e := range entries {
		if e.GetType() == "file" {
			byPath[e.GetPath()] = strings.ToLower(e.GetSHA())
		}
	}
	return byPath, nil
}

// listRoot maps the files at the root of ref to their blob ids.
func listRoot(ctx context.Context, c *github.Client, owner, repo, ref string) (map[string]string, error) {
	tree, _, err := c.Git.GetTree(ctx, owner, repo, ref, false)
	if err != nil {
		return nil, fmt.Errorf("list the root at base %.12s: %w", ref, err)
	}
	byPath := make(map[string]string, len(tree.Entries))
	for _, e := range tree.Entries {
		if e.GetType() == "blob" {
			byPath[e.GetPath()] = strings.ToLower(e.GetSHA())
		}
	}
	return byPath, nil
}

// fileBlob is the blob id of file p at ref, or "" when it does not exist
// there.
func fileBlob(ctx context.Context, c *github.Client, owner, repo, ref, p string) (string, error) {
	fc, _, resp, err := c.Repositories.GetContents(ctx, owner, repo, p, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return "", nil
		}
		return "", fmt.Errorf("read %q at base %.12s: %w", p, ref, err)
	}
	if fc == nil || fc.GetType() != "file" {
		return "", nil
	}
	return strings.ToLower(fc.GetSHA()), nil
}

// excluded mirrors the engine's exclude check (doublestar globs).
func excluded(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}
