package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/templates"
)

// unignore removes the ignores of the command's finding in its scope
// (this pull request, or the repository with --repo), answers, and
// rescans so that the check run counts the finding again.
//
// Ids match by prefix in both directions, as reported does: an ignore is
// stored with the id as typed (the 10-digit short id, the fingerprint, or
// any prefix of 8 or more digits) and the pipeline accepts every finding
// whose fingerprint starts with it, while the id people copy to undo it
// is usually the short id the summary's "Ignored" list shows. Every
// matching ignore of the scope is removed (one made with the short id and
// one with the fingerprint hide the same finding); ids of different
// findings that the typed prefix cannot tell apart are answered instead.
//
// The reply is posted before the rows are deleted: a retry after a
// failed reply then still finds the rows, and a retry after the deletion
// (a failed rescan) finds the confirmation by its hidden tag and only
// rescans, instead of answering "not ignored".
func (r *run) unignore(ctx context.Context) (done bool, err error) {
	cmd := r.a.Command
	scope := r.a.PR
	if cmd.Repo {
		scope = 0
	}
	all, err := r.w.Ignores.Ignores(ctx, r.a.Repo, r.a.PR)
	if err != nil {
		return false, fmt.Errorf("load ignores of %s#%d: %w", r.a.Repo, r.a.PR, err)
	}
	var here []store.Ignore
	other := false
	for _, ig := range all {
		if !sameFinding(ig.ID, cmd.ID) {
			continue
		}
		if ig.PR == scope {
			here = append(here, ig)
		} else {
			other = true
		}
	}
	if len(here) == 0 {
		body, found, err := r.earlierReply(ctx)
		if err != nil {
			return false, err
		}
		if found && templates.IsUnignoredReply(body) {
			// An earlier attempt removed the ignores and answered, then
			// failed (the rescan could not be queued): finish its work.
			return r.rescan(ctx)
		}
		if found {
			return false, nil
		}
		return false, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyNotIgnored, ID: cmd.ID, Repo: cmd.Repo, Other: other})
	}
	if ids, ok := oneFinding(here); !ok {
		return false, r.reply(ctx, templates.ReplyView{Kind: templates.ReplyUsage, Message: fmt.Sprintf(
			"`%s` matches the ignores of more than one finding (%s): give the id shown under the finding's comment.", cmd.ID, ids)})
	}
	latest := here[0]
	for _, ig := range here[1:] {
		if ig.At.After(latest.At) {
			latest = ig
		}
	}
	if err := r.reply(ctx, templates.ReplyView{Kind: templates.ReplyUnignored, ID: cmd.ID, Repo: cmd.Repo,
		IgnoredBy: latest.By, Reason: latest.Reason, Other: other}); err != nil {
		return false, err
	}
	for _, ig := range here {
		if _, err := r.w.Ignores.RemoveIgnore(ctx, r.a.Repo, scope, ig.ID); err != nil {
			return false, fmt.Errorf("remove ignore: %w", err)
		}
	}
	return r.rescan(ctx)
}

// sameFinding reports whether a stored ignore id and a typed id can name
// the same finding: one is a prefix of the other.
func sameFinding(stored, typed string) bool {
	return strings.HasPrefix(stored, typed) || strings.HasPrefix(typed, stored)
}

// oneFinding reports whether the ids of igs can all name one finding
// (every pair is prefix-related); otherwise it lists them for the reply.
func oneFinding(igs []store.Ignore) (ids string, ok bool) {
	ok = true
	var list []string
	for i, a := range igs {
		list = append(list, "`"+a.ID+"`")
		for _, b := range igs[i+1:] {
			if !sameFinding(a.ID, b.ID) {
				ok = false
			}
		}
	}
	return strings.Join(list, ", "), ok
}
