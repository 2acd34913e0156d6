package templates

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// IgnoredView is a finding hidden by a "/picket ignore": who accepted it,
// why, and for which scope.
type IgnoredView struct {
	ID     string // the finding's short id
	RuleID string
	Path   string
	Line   int
	By     string // GitHub login of who ignored it
	Reason string
	Repo   bool // ignored for the whole repository, not just this pull request
}

// Scope names where the ignore applies.
func (v IgnoredView) Scope() string {
	if v.Repo {
		return "repository"
	}
	return "this pull request"
}

// SuppressedByIgnore is the scanners.SuppressedFinding.By of a finding
// hidden by a /picket ignore; the summary lists those under "Ignored"
// (from SummaryOptions.Ignored) instead of under "Suppressions".
const SuppressedByIgnore = "ignore"

// ignoredViews defuses the text of ignored findings that came from the
// change (paths, rule ids) or from a person (reasons).
func ignoredViews(in []IgnoredView) []IgnoredView {
	out := make([]IgnoredView, 0, len(in))
	for _, v := range in {
		v.Path, v.RuleID = defuse(v.Path), defuse(v.RuleID)
		v.By, v.Reason = quiet(v.By), quiet(clip(v.Reason, maxReason))
		out = append(out, v)
	}
	return out
}

// maxReason bounds a person's reason echoed in a reply or summary.
const maxReason = 500

// quiet defuses user text echoed in Picket's own comments: no hidden
// markers, and no @mentions (a word joiner after "@"), so a reason cannot
// ping people through the bot.
func quiet(s string) string { return strings.ReplaceAll(defuse(s), "@", "@\u2060") }

// replyMarkerRE matches the hidden tag of a command reply.
var replyMarkerRE = regexp.MustCompile(`<!-- picket:reply=([0-9]+) -->`)

// ReplyMarker is the hidden tag of the reply to command comment id: a
// retried command job finds its earlier reply by it instead of posting a
// second one.
func ReplyMarker(commentID int64) string {
	return fmt.Sprintf("<!-- picket:reply=%d -->", commentID)
}

// RepliesTo reports whether body is Picket's reply to comment id.
func RepliesTo(body string, commentID int64) bool {
	for _, m := range replyMarkerRE.FindAllStringSubmatch(body, -1) {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n == commentID {
			return true
		}
	}
	return false
}

// Marker is the reply's hidden tag ("" without a comment id).
func (v ReplyView) Marker() string {
	if v.CommentID == 0 {
		return ""
	}
	return ReplyMarker(v.CommentID)
}

// unignoredTag marks Picket's confirmation of an unignore: a retried
// command job that finds no ignore left to remove looks for it to tell
// "an earlier attempt removed it" from "there never was one".
const unignoredTag = "<!-- picket:unignored -->"

// UnignoredTag is the hidden tag of an unignore's confirmation ("" for
// other replies).
func (v ReplyView) UnignoredTag() string {
	if v.Kind != ReplyUnignored {
		return ""
	}
	return unignoredTag
}

// IsUnignoredReply reports whether body is Picket's confirmation of an
// unignore. Callers check the author too: anyone can type the tag.
func IsUnignoredReply(body string) bool { return strings.Contains(body, unignoredTag) }

// SafeIgnoredBy is "@login" of IgnoredBy as echoed in a reply, written
// so that it does not notify them ("" without IgnoredBy): the person
// whose decision is undone sees it in the summary, not in their inbox.
func (v ReplyView) SafeIgnoredBy() string {
	if v.IgnoredBy == "" {
		return ""
	}
	return quiet("@" + clip(v.IgnoredBy, 60))
}

// SafeReason is the reason as echoed in a reply: one line, bounded, with
// no mention or marker.
func (v ReplyView) SafeReason() string { return quiet(clip(v.Reason, maxReason)) }
