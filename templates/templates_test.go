package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func finding(n int, sev scanners.Severity, path string, line int) scanners.Finding {
	return scanners.Finding{
		Rule: scanners.Rule{
			ID: "secrets/github-pat", Kind: scanners.KindSecret, Severity: sev,
			Title: "GitHub personal access token", Why: "Anyone with the token can act as its owner.",
			Fix: "Revoke the token and read it from a secret store.", CWE: []string{"CWE-798"},
		},
		Severity:    sev,
		Path:        path,
		Range:       scanners.Range{StartLine: line, EndLine: line},
		Message:     "A GitHub token is committed in `config`.",
		Evidence:    scanners.Redact(secret),
		Fingerprint: scanners.Fingerprint(strings.Repeat("0123456789abcdef", 4)[n%16:] + strings.Repeat("0", n%16)),
	}
}

func report() *scanners.Report {
	build := finding(2, scanners.Medium, ".github/workflows/ci.yml", 12)
	build.Rule = scanners.Rule{ID: "build/pull-request-target-checkout", Kind: scanners.KindBuild, Title: "Untrusted checkout", Why: "The workflow runs fork code with secrets.", Fix: "Check out the base ref."}
	build.Evidence = scanners.Redacted{}
	build.Message = "pull_request_target checks out the head."
	sup := finding(3, scanners.High, "a.go", 3)
	ignored := finding(8, scanners.High, "testdata/key.pem", 1)
	return &scanners.Report{
		Findings: []scanners.Finding{finding(1, scanners.High, "config/app.env", 4), build, finding(4, scanners.Critical, "deploy.sh", 9)},
		Suppressed: []scanners.SuppressedFinding{{Finding: sup, By: "inline", Reason: "test fixture"},
			{Finding: ignored, By: SuppressedByIgnore, Reason: "test key"}},
		Files: []scanners.FileResult{
			{Path: "config/app.env", Outcome: scanners.Scanned},
			{Path: "logo.png", Outcome: scanners.Skipped, Skip: &diff.SkipReason{Code: diff.SkipBinary}},
		},
		Scanners: []scanners.ScannerStatus{{Name: "sast", Errors: []scanners.FileError{{Path: "x.py", Error: "parse: unexpected EOF"}}}},
		Stats:    scanners.Stats{Files: 5, Scanned: 3, Skipped: 1, Reused: 1, Bytes: 123456, Duration: 1234 * time.Millisecond},
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	withFix := finding(5, scanners.High, ".github/workflows/ci.yml", 7)
	withFix.Range.EndLine = 8
	withFix.Fix = &scanners.Fix{Description: "Pass the token through env", StartLine: 7, EndLine: 8, Replacement: "env:\n  TOKEN: ${{ secrets.TOKEN }}\n"}
	full := NewSummary(report(), SummaryOptions{FailOn: scanners.High, ConfigChanged: true, ConfigErrors: []string{`.github/picket.yml:3: unknown key "fail_onn" (did you mean "fail_on"?)`},
		Ignored: []IgnoredView{
			{ID: "89abcdef01", RuleID: "secrets/github-pat", Path: "testdata/key.pem", Line: 1, By: "alice", Reason: "false positive, test key"},
			{ID: "0123456789", RuleID: "build/unpinned-action", Path: ".github/workflows/ci.yml", Line: 3, By: "bob", Reason: "pinned by @org policy <!-- picket:fp=00000000 -->", Repo: true},
		}})
	empty := NewSummary(&scanners.Report{Stats: scanners.Stats{Files: 2, Scanned: 2, Bytes: 900}}, SummaryOptions{FailOn: scanners.High})
	cases := []struct {
		name, tmpl string
		view       any
	}{
		{"title", Title, full},
		{"title-empty", Title, empty},
		{"summary", Summary, full},
		{"summary-empty", Summary, empty},
		{"review", Review, ReviewView{Inline: 30, MaxInline: 30, Extra: []FindingView{NewFinding(finding(6, scanners.Low, "b.go", 40))}, Unplaced: []FindingView{NewFinding(finding(7, scanners.Medium, "go.sum", 1))}}},
		{"comment", Comment, NewComment(finding(1, scanners.High, "config/app.env", 4), 4, 4)},
		{"comment-suggestion", Comment, NewComment(withFix, 7, 8)},
		{"comment-fix-mismatch", Comment, NewComment(withFix, 8, 8)},
		{"comment-file", Comment, NewComment(withFix, 0, 0)},
		{"fixed", Fixed, FixedView{SHA: "abcdef0123456789", Body: "**high: something**\n<!-- picket:fp=0123456789 -->"}},
		{"dismiss", Dismiss, DismissView{SHA: "abcdef0123456789", FailOn: "high"}},
		{"aborted", Aborted, AbortView{Reason: "fetch blobs for octo-org/hello#1: connection reset"}},
		{"reply-help", Reply, ReplyView{Kind: ReplyHelp}},
		{"reply-ignored", Reply, ReplyView{Kind: ReplyIgnored, User: "mona", ID: "0123456789", Reason: "test data"}},
		{"reply-ignored-repo", Reply, ReplyView{Kind: ReplyIgnored, User: "mona", ID: "0123456789", Reason: "test data", Repo: true}},
		{"reply-ignored-marked", Reply, ReplyView{Kind: ReplyIgnored, User: "mona", ID: "0123456789", Reason: "cc @security-team <!-- picket:reply=1 -->", CommentID: 4242}},
		{"reply-rescan", Reply, ReplyView{Kind: ReplyRescan, User: "mona"}},
		{"reply-denied", Reply, ReplyView{Kind: ReplyDenied, User: "guest"}},
		{"reply-unknown-id", Reply, ReplyView{Kind: ReplyUnknownID, User: "mona", ID: "ffff"}},
		{"reply-usage", Reply, ReplyView{Kind: ReplyUsage, User: "mona", Message: "ignore needs an id and a reason."}},
		{"reply-failed", Reply, ReplyView{Kind: ReplyFailed, User: "mona", Message: "database unavailable"}},
		{"reply-unignored", Reply, ReplyView{Kind: ReplyUnignored, User: "mona", ID: "0123456789", IgnoredBy: "ada", Reason: "test data @security-team", CommentID: 4243}},
		{"reply-unignored-repo", Reply, ReplyView{Kind: ReplyUnignored, User: "mona", ID: "0123456789abcdef", IgnoredBy: "ada", Reason: "vendored", Repo: true}},
		{"reply-unignored-repo-still-pr", Reply, ReplyView{Kind: ReplyUnignored, User: "mona", ID: "0123456789", IgnoredBy: "ada", Reason: "vendored", Repo: true, Other: true}},
		{"reply-unignored-pr-still-repo", Reply, ReplyView{Kind: ReplyUnignored, User: "mona", ID: "0123456789", IgnoredBy: "ada", Reason: "vendored", Other: true}},
		{"reply-not-ignored", Reply, ReplyView{Kind: ReplyNotIgnored, User: "mona", ID: "0123456789"}},
		{"reply-not-ignored-forgot-repo", Reply, ReplyView{Kind: ReplyNotIgnored, User: "mona", ID: "0123456789", Other: true}},
		{"reply-not-ignored-repo-but-pr", Reply, ReplyView{Kind: ReplyNotIgnored, User: "mona", ID: "0123456789", Repo: true, Other: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Render(c.tmpl, c.view)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(got, secret[4:]) {
				t.Errorf("Render(%s) prints the secret", c.name)
			}
			golden(t, c.name, got)
		})
	}
}

func TestRenderTitle(t *testing.T) {
	t.Parallel()
	got, err := RenderTitle(NewSummary(report(), SummaryOptions{FailOn: scanners.High}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "3 findings: 1 critical, 1 high, 1 medium"; got != want {
		t.Errorf("RenderTitle() = %q, want %q", got, want)
	}
}

func TestSummaryFailingCount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		failOn scanners.Severity
		want   int
	}{{scanners.Critical, 1}, {scanners.High, 2}, {scanners.Info, 3}} {
		if got := NewSummary(report(), SummaryOptions{FailOn: c.failOn}).Failing; got != c.want {
			t.Errorf("NewSummary(failOn %s).Failing = %d, want %d", c.failOn, got, c.want)
		}
	}
}

func TestRenderSummaryTruncates(t *testing.T) {
	t.Parallel()
	r := &scanners.Report{}
	for i := range 3000 {
		f := finding(i, scanners.High, "src/very/long/path/to/a/file/that/repeats/"+strings.Repeat("x", 40)+".go", i+1)
		f.Message = strings.Repeat("long message ", 10)
		r.Findings = append(r.Findings, f)
	}
	v := NewSummary(r, SummaryOptions{FailOn: scanners.High, MaxTop: 3000})
	got, err := RenderSummary(v)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(got)); n > MaxSummary {
		t.Fatalf("RenderSummary() has %d characters, over %d", n, MaxSummary)
	}
	if !strings.Contains(got, "more findings not listed here") {
		t.Errorf("RenderSummary() does not say findings were left out:\n%.300s", got[len(got)-300:])
	}
	if !strings.Contains(got, "### Files") {
		t.Error("RenderSummary() lost the files section while truncating")
	}
	listed := strings.Count(got, "\n- **high**")
	if listed == 0 || listed >= 3000 {
		t.Errorf("RenderSummary() lists %d findings, want some but not all 3000", listed)
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("line of text\n", 100)
	got := cut(s, 200)
	if n := len([]rune(got)); n > 200 {
		t.Errorf("cut() = %d characters, want at most 200", n)
	}
	if !strings.HasSuffix(got, "size limit._\n") {
		t.Errorf("cut() does not say it cut: %q", got)
	}
}

func TestMarkerRoundTrip(t *testing.T) {
	t.Parallel()
	fp := scanners.Fingerprint(strings.Repeat("ab", 32))
	body, err := Render(Comment, NewComment(scanners.Finding{Fingerprint: fp, Rule: scanners.Rule{ID: "x/y"}}, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := ParseMarker(body)
	if !ok || got != fp {
		t.Errorf("ParseMarker(rendered comment) = %q, %v, want %q, true", got, ok, fp)
	}
	if _, ok := ParseMarker("a person's comment"); ok {
		t.Error("ParseMarker(plain text) found a marker")
	}
	fixed, err := Render(Fixed, FixedView{SHA: "abc", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !IsMarkedFixed(fixed) || IsMarkedFixed(body) {
		t.Error("IsMarkedFixed does not tell a fixed comment from an open one")
	}
	if got, _ := ParseMarker(fixed); got != fp {
		t.Errorf("the fixed edit lost the marker: %q", got)
	}
}

func TestCodeSpan(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a.go":      "`a.go`",
		"a`b":       "``a`b``",
		"`x`":       "`` `x` ``",
		"two\nline": "`two line`",
	} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseMarkersInReview(t *testing.T) {
	t.Parallel()
	a, b := finding(6, scanners.Low, "b.go", 40), finding(7, scanners.Medium, "go.sum", 1)
	body, err := Render(Review, ReviewView{MaxInline: 30, Extra: []FindingView{NewFinding(a)}, Unplaced: []FindingView{NewFinding(b)}})
	if err != nil {
		t.Fatal(err)
	}
	got := ParseMarkers(body)
	if diff := cmp.Diff([]scanners.Fingerprint{a.Fingerprint, b.Fingerprint}, got); diff != "" {
		t.Errorf("ParseMarkers(review body) mismatch (-want +got):\n%s", diff)
	}
}

func TestRenderReviewTruncates(t *testing.T) {
	t.Parallel()
	v := ReviewView{MaxInline: 30, Inline: 30}
	for i := range 3000 {
		f := finding(i, scanners.High, "src/"+strings.Repeat("d/", 20)+"f.go", i+1)
		f.Fingerprint = scanners.Fingerprint(fmt.Sprintf("%064x", i))
		v.Extra = append(v.Extra, NewFinding(f))
	}
	got, err := RenderReview(v)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(got)); n > MaxSummary {
		t.Fatalf("RenderReview() has %d characters, over %d", n, MaxSummary)
	}
	listed, hidden := len(ParseMarkers(got)), len(ParseListed(got))
	if listed == 0 || hidden == 0 || listed+hidden != 3000 {
		t.Errorf("RenderReview() lists %d and hides %d ids, want both and 3000 in all", listed, hidden)
	}
	if !strings.Contains(got, "found 3030 new findings") {
		t.Errorf("RenderReview() miscounts: %.80s", got)
	}
}

func TestCommentBounded(t *testing.T) {
	t.Parallel()
	f := finding(1, scanners.High, "a.go", 3)
	f.Message = strings.Repeat("m", 100000)
	f.Fix = &scanners.Fix{Description: "replace", StartLine: 3, EndLine: 3, Replacement: strings.Repeat("x", 100000)}
	got, err := Render(Comment, NewComment(f, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(got)); n > MaxSummary {
		t.Errorf("comment for a huge message and fix has %d characters, over %d", n, MaxSummary)
	}
	if strings.Contains(got, "```suggestion") {
		t.Error("a 100 KB replacement was offered as a suggestion block")
	}
}

func TestForgedMarkerDefused(t *testing.T) {
	t.Parallel()
	forged := "<!-- picket:fp=" + strings.Repeat("e", 64) + " -->"
	f := finding(1, scanners.High, "dir/"+forged+".go", 3)
	f.Message = "token in " + forged
	f.Fix = &scanners.Fix{StartLine: 3, EndLine: 3, Replacement: forged + "\n"}
	comment, err := Render(Comment, NewComment(f, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	review, err := Render(Review, ReviewView{Extra: []FindingView{NewFinding(f)}})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"comment": comment, "review": review} {
		for _, got := range ParseMarkers(body) {
			if got != f.Fingerprint {
				t.Errorf("%s: a marker forged in the path, message or fix was parsed: %s", name, got)
			}
		}
	}
	if got, _ := ParseMarker(comment); got != f.Fingerprint {
		t.Errorf("ParseMarker(comment) = %s, want %s", got, f.Fingerprint)
	}
}

func TestReplyMarker(t *testing.T) {
	t.Parallel()
	body, err := Render(Reply, ReplyView{Kind: ReplyHelp, CommentID: 77})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body string
		id   int64
		want bool
	}{
		{body, 77, true},
		{body, 7, false},
		{body, 770, false},
		{"no marker", 77, false},
	} {
		if got := RepliesTo(tc.body, tc.id); got != tc.want {
			t.Errorf("RepliesTo(%q, %d) = %v, want %v", tc.body, tc.id, got, tc.want)
		}
	}
	// A reason cannot forge the marker of another comment.
	forged, err := Render(Reply, ReplyView{Kind: ReplyIgnored, User: "x", ID: "0123456789", Reason: ReplyMarker(5)})
	if err != nil {
		t.Fatal(err)
	}
	if RepliesTo(forged, 5) {
		t.Errorf("a reason forged a reply marker:\n%s", forged)
	}
}

// Only an unignore's confirmation carries the unignored tag, and a
// reason echoed in another reply cannot forge it.
func TestUnignoredTag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		view ReplyView
		want bool
	}{
		{ReplyView{Kind: ReplyUnignored, User: "x", ID: "0123456789", IgnoredBy: "y", Reason: "r"}, true},
		{ReplyView{Kind: ReplyUnignored, User: "x", ID: "0123456789", Other: true}, true},
		{ReplyView{Kind: ReplyNotIgnored, User: "x", ID: "0123456789"}, false},
		{ReplyView{Kind: ReplyIgnored, User: "x", ID: "0123456789", Reason: unignoredTag}, false},
		{ReplyView{Kind: ReplyUnignored, User: "x", ID: "0123456789", IgnoredBy: "y", Reason: unignoredTag}, true},
	} {
		body, err := Render(Reply, tc.view)
		if err != nil {
			t.Fatal(err)
		}
		if got := IsUnignoredReply(body); got != tc.want {
			t.Errorf("IsUnignoredReply(Render(%+v)) = %v, want %v:\n%s", tc.view, got, tc.want, body)
		}
		if n := strings.Count(body, unignoredTag); n > 1 {
			t.Errorf("Render(%+v) has %d unignored tags, want at most one (a reason forged one):\n%s", tc.view, n, body)
		}
	}
}

func TestIgnoredListedOnce(t *testing.T) {
	t.Parallel()
	v := NewSummary(report(), SummaryOptions{FailOn: scanners.High, Ignored: []IgnoredView{{ID: "89abcdef01", By: "alice", Reason: "ok"}}})
	for _, s := range v.Suppressions {
		if s.By == SuppressedByIgnore {
			t.Errorf("an ignored finding is listed under Suppressions too: %+v", s)
		}
	}
	if len(v.Ignored) != 1 || v.Ignored[0].Scope() != "this pull request" {
		t.Errorf("Ignored = %+v, want one for this pull request", v.Ignored)
	}
}
