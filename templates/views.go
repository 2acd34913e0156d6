package templates

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

// MaxSummary is GitHub's limit on a check run's output.summary (and on
// an issue or review comment body), in characters.
const MaxSummary = 65535

// Scanner text is bounded so that one comment can never exceed GitHub's
// body limit, which would make GitHub reject the whole review.
const (
	maxMessage    = 2000  // characters of a finding's message
	maxSuggestion = 20000 // bytes of a suggestion block
)

// defuse breaks every "<!--" in text that may come from the scanned
// change (paths, messages), with a word joiner, so that a file cannot
// forge a hidden marker in Picket's comments or hide text in them.
func defuse(s string) string { return strings.ReplaceAll(s, "<!--", "<!\u2060--") }

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// FindingView is one finding as the templates show it. Evidence is the
// redacted form only.
type FindingView struct {
	ID          string // Fingerprint.Short(), what users type in /picket ignore
	Fingerprint string
	RuleID      string
	Title       string
	Why         string
	HowToFix    string
	Severity    string
	Kind        string
	Path        string
	StartLine   int
	EndLine     int
	Message     string
	Evidence    string // scanners.Redacted.String()
	CWE         []string
}

// Lines renders "12" or "12-14".
func (v FindingView) Lines() string {
	if v.EndLine > v.StartLine {
		return fmt.Sprintf("%d-%d", v.StartLine, v.EndLine)
	}
	return fmt.Sprint(v.StartLine)
}

// Where renders "line 12" or "lines 12-14".
func (v FindingView) Where() string {
	if v.EndLine > v.StartLine {
		return "lines " + v.Lines()
	}
	return "line " + v.Lines()
}

// NewFinding builds the view of f.
func NewFinding(f scanners.Finding) FindingView {
	end := f.Range.EndLine
	if end < f.Range.StartLine {
		end = f.Range.StartLine
	}
	return FindingView{
		ID:          f.Fingerprint.Short(),
		Fingerprint: string(f.Fingerprint),
		RuleID:      defuse(f.Rule.ID),
		Title:       defuse(f.Rule.Title),
		Why:         defuse(f.Rule.Why),
		HowToFix:    defuse(f.Rule.Fix),
		Severity:    f.Severity.String(),
		Kind:        string(f.Rule.Kind),
		Path:        defuse(f.Path),
		StartLine:   f.Range.StartLine,
		EndLine:     end,
		Message:     defuse(clip(f.Message, maxMessage)),
		Evidence:    defuse(f.Evidence.String()),
		CWE:         f.Rule.CWE,
	}
}

// Count is a labelled number.
type Count struct {
	Name string
	N    int
}

// SkippedFile is a file that was not scanned, with the reason.
type SkippedFile struct {
	Path   string
	Reason string
}

// SuppressionView is a finding hidden by a suppression.
type SuppressionView struct {
	ID     string
	RuleID string
	Path   string
	Line   int
	By     string
	Reason string
}

// ScannerError is one scanner's failure on one file.
type ScannerError struct {
	Scanner string
	Path    string
	Error   string
}

// SummaryView is the check run's title and summary.
type SummaryView struct {
	Total         int
	Failing       int // findings at or above FailOn
	FailOn        string
	BySeverity    []Count // most severe first, non-zero only
	ByKind        []Count
	Top           []FindingView
	Omitted       int // findings not listed in Top
	Files         int
	Scanned       int
	Skipped       int
	Reused        int
	SkippedFiles  []SkippedFile
	Bytes         string
	Duration      string
	Suppressions  []SuppressionView
	ScannerErrors []ScannerError
	ConfigChanged bool
	ConfigPath    string
	ConfigErrors  []string
	Ignored       []IgnoredView // findings hidden by /picket ignore
}

// SummaryOptions are the inputs of a summary that are not in the report.
type SummaryOptions struct {
	FailOn        scanners.Severity
	MaxTop        int      // findings listed in full; 0 means 25
	ConfigChanged bool     // the change edits the repository config
	ConfigPath    string   // ".github/picket.yml" if empty
	ConfigErrors  []string // load or parse errors, rendered as given
	// Ignored are the findings a /picket ignore hid (the report lists them
	// in Suppressed with By SuppressedByIgnore), with who and why.
	Ignored []IgnoredView
}

// NewSummary builds the summary view of r.
func NewSummary(r *scanners.Report, opt SummaryOptions) SummaryView {
	if opt.MaxTop == 0 {
		opt.MaxTop = 25
	}
	if opt.ConfigPath == "" {
		opt.ConfigPath = ".github/picket.yml"
	}
	v := SummaryView{
		Total:         len(r.Findings),
		Failing:       r.CountAtOrAbove(opt.FailOn),
		FailOn:        opt.FailOn.String(),
		Files:         r.Stats.Files,
		Scanned:       r.Stats.Scanned,
		Skipped:       r.Stats.Skipped,
		Reused:        r.Stats.Reused,
		Bytes:         diff.HumanBytes(r.Stats.Bytes),
		Duration:      r.Stats.Duration.Round(time.Millisecond).String(),
		ConfigChanged: opt.ConfigChanged,
		ConfigPath:    opt.ConfigPath,
		ConfigErrors:  opt.ConfigErrors,
		Ignored:       ignoredViews(opt.Ignored),
	}
	sev := r.BySeverity()
	for s := scanners.Critical; s >= scanners.Info; s-- {
		if sev[s] > 0 {
			v.BySeverity = append(v.BySeverity, Count{s.String(), sev[s]})
		}
	}
	kinds := map[string]int{}
	for _, f := range r.Findings {
		kinds[string(f.Rule.Kind)]++
	}
	for k, n := range kinds {
		v.ByKind = append(v.ByKind, Count{k, n})
	}
	slices.SortFunc(v.ByKind, func(a, b Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Name, b.Name)
	})
	// The most severe first; the engine's order (path, line) otherwise.
	sorted := slices.Clone(r.Findings)
	slices.SortStableFunc(sorted, func(a, b scanners.Finding) int { return int(b.Severity - a.Severity) })
	for i, f := range sorted {
		if i >= opt.MaxTop {
			v.Omitted = len(sorted) - i
			break
		}
		v.Top = append(v.Top, NewFinding(f))
	}
	for _, f := range r.Files {
		if f.Outcome == scanners.Skipped && f.Skip != nil {
			v.SkippedFiles = append(v.SkippedFiles, SkippedFile{f.Path, f.Skip.String()})
		}
	}
	for _, s := range r.Suppressed {
		if s.By == SuppressedByIgnore {
			continue // listed under Ignored, with who and the scope
		}
		v.Suppressions = append(v.Suppressions, SuppressionView{
			ID: s.Finding.Fingerprint.Short(), RuleID: s.Finding.Rule.ID, Path: s.Finding.Path,
			Line: s.Finding.Range.StartLine, By: s.By, Reason: s.Reason,
		})
	}
	for _, s := range r.Scanners {
		for _, e := range s.Errors {
			v.ScannerErrors = append(v.ScannerErrors, ScannerError{s.Name, e.Path, e.Error})
		}
	}
	return v
}

// RenderSummary renders the summary within MaxSummary characters: it
// lists fewer findings (saying how many are left out) until it fits, and
// as a last resort cuts the text at a line boundary.
func RenderSummary(v SummaryView) (string, error) {
	for {
		out, err := Render(Summary, v)
		if err != nil {
			return "", err
		}
		if len([]rune(out)) <= MaxSummary {
			return out, nil
		}
		if len(v.Top) == 0 {
			return cut(out, MaxSummary), nil
		}
		drop := max(1, len(v.Top)/4)
		v.Omitted += drop
		v.Top = v.Top[:len(v.Top)-drop]
		// Long lists of skipped files or suppressions are trimmed too.
		if len(v.SkippedFiles) > 100 {
			v.SkippedFiles = v.SkippedFiles[:100]
		}
		if len(v.Ignored) > 100 {
			v.Ignored = v.Ignored[:100]
		}
	}
}

// cut shortens s to at most n characters at a line boundary and says so.
func cut(s string, n int) string {
	const note = "\n\n_… cut to fit GitHub's size limit._\n"
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	keep := string(r[:n-len([]rune(note))])
	if i := strings.LastIndexByte(keep, '\n'); i > 0 {
		keep = keep[:i]
	}
	return keep + note
}

// CommentView is one inline or file-level review comment.
type CommentView struct {
	Finding    FindingView
	Suggestion *SuggestionView // set when the fix replaces exactly the commented lines
	FixNote    string          // the fix's description when no suggestion block applies
	FileLevel  bool            // not anchored to lines: the comment names them
	Marker     string
}

// SuggestionView is a GitHub ```suggestion block.
type SuggestionView struct {
	Description string
	Text        string
}

// NewComment builds the comment for f anchored to head lines start..end
// (0, 0 for a file-level comment). A suggestion is offered only when the
// fix's range is exactly the commented range, since GitHub replaces the
// commented lines with the block's contents.
func NewComment(f scanners.Finding, start, end int) CommentView {
	v := CommentView{Finding: NewFinding(f), Marker: Marker(f.Fingerprint), FileLevel: start <= 0}
	if f.Fix != nil {
		// A replacement holding "<!--" is not offered verbatim: it could
		// smuggle a marker into Picket's own comment.
		if start > 0 && f.Fix.StartLine == start && f.Fix.EndLine == end && len(f.Fix.Replacement) <= maxSuggestion && !strings.Contains(f.Fix.Replacement, "<!--") {
			v.Suggestion = &SuggestionView{Description: defuse(f.Fix.Description), Text: strings.TrimSuffix(f.Fix.Replacement, "\n")}
		} else {
			v.FixNote = defuse(f.Fix.Description)
		}
	}
	return v
}

// ReviewView is the body of the one review a scan posts.
type ReviewView struct {
	Inline    int           // comments attached to the review
	Extra     []FindingView // anchorable findings beyond the inline cap
	Unplaced  []FindingView // findings in files the diff does not touch
	MaxInline int
	// Omitted are the short ids of findings left out of the lists to fit
	// the body limit; they are recorded in one hidden marker so later
	// scans know they were reported.
	Omitted []string
}

// RenderReview renders the review body within MaxSummary characters,
// moving listed findings (last first) into Omitted until it fits.
func RenderReview(v ReviewView) (string, error) {
	for {
		out, err := Render(Review, v)
		if err != nil {
			return "", err
		}
		if len([]rune(out)) <= MaxSummary || len(v.Extra)+len(v.Unplaced) == 0 {
			return out, nil
		}
		for range max(1, (len(v.Extra)+len(v.Unplaced))/4) {
			if n := len(v.Unplaced); n > 0 {
				v.Omitted = append(v.Omitted, v.Unplaced[n-1].ID)
				v.Unplaced = v.Unplaced[:n-1]
			} else if n := len(v.Extra); n > 0 {
				v.Omitted = append(v.Omitted, v.Extra[n-1].ID)
				v.Extra = v.Extra[:n-1]
			}
		}
	}
}

// Total is the number of new findings the review is about.
func (v ReviewView) Total() int { return v.Inline + len(v.Extra) + len(v.Unplaced) + len(v.Omitted) }

// OmittedList joins the omitted ids for the hidden marker.
func (v ReviewView) OmittedList() string { return strings.Join(v.Omitted, ",") }

// RenderTitle renders the check run's one-line title.
func RenderTitle(v SummaryView) (string, error) {
	s, err := Render(Title, v)
	return strings.TrimSpace(s), err
}

// FixedView is the edit applied to a comment whose finding is gone.
type FixedView struct {
	SHA  string // commit in which the finding disappeared
	Body string // the original comment, kept (with its marker) below
}

// ShortSHA is the first 7 characters of SHA.
func (v FixedView) ShortSHA() string { return v.SHA[:min(7, len(v.SHA))] }

// DismissView is the message with which Picket dismisses its own
// request for changes once nothing at or above the threshold is left.
type DismissView struct {
	SHA    string
	FailOn string
}

// ShortSHA is the first 7 characters of SHA.
func (v DismissView) ShortSHA() string { return v.SHA[:min(7, len(v.SHA))] }

// reviewMarker tags the body of every review Picket posts.
const reviewMarker = "<!-- picket:review -->"

// IsPicketReview reports whether a review body was rendered by Review.
func IsPicketReview(body string) bool { return strings.Contains(body, reviewMarker) }

// ReplyKind selects the text of a command reply.
type ReplyKind string

// The command replies.
const (
	ReplyHelp      ReplyKind = "help"
	ReplyIgnored   ReplyKind = "ignored"
	ReplyRescan    ReplyKind = "rescan"
	ReplyDenied    ReplyKind = "denied"
	ReplyUnknownID ReplyKind = "unknown-id"
	ReplyUsage     ReplyKind = "usage"
	ReplyFailed    ReplyKind = "failed"
	// ReplyUnignored confirms an undone ignore (ID, Repo for the scope,
	// IgnoredBy and Reason of the removed decision, Other when the other
	// scope still ignores the finding).
	ReplyUnignored ReplyKind = "unignored"
	// ReplyNotIgnored answers an unignore that matched nothing in its
	// scope (Other when the other scope has a match: a forgotten or
	// superfluous --repo).
	ReplyNotIgnored ReplyKind = "not-ignored"
)

// ReplyView is the answer to a /picket command.
type ReplyView struct {
	Kind    ReplyKind
	User    string // who ran the command
	ID      string // finding id for ignore and unignore
	Reason  string // ignore: the reason given; unignore: the removed ignore's reason
	Repo    bool   // the ignore or unignore is for the whole repository
	Message string // usage or failure detail
	// IgnoredBy is who made the ignore an unignore removed.
	IgnoredBy string
	// Other is set on an unignore reply when the other scope (the
	// repository's for a pull-request unignore, this pull request's for
	// a --repo one) has an ignore matching ID.
	Other bool
	// CommentID is the command comment answered; the reply carries it in
	// a hidden marker (see ReplyMarker).
	CommentID int64
}

// AbortView is the summary of a check run that could not finish.
type AbortView struct {
	Reason string
}

// markerRE matches the hidden marker every Picket comment carries.
var markerRE = regexp.MustCompile(`<!-- picket:fp=([0-9a-f]{8,64}) -->`)

// fixedMarker tags a comment already edited to say it is fixed.
const fixedMarker = "<!-- picket:fixed -->"

// Marker is the hidden, machine-readable tag of a comment about fp.
func Marker(fp scanners.Fingerprint) string { return "<!-- picket:fp=" + string(fp) + " -->" }

// ParseMarker returns the fingerprint in a comment body written by
// Picket, if any.
func ParseMarker(body string) (scanners.Fingerprint, bool) {
	// The genuine marker is the comment's last line; take the last match.
	ms := markerRE.FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		return "", false
	}
	return scanners.Fingerprint(ms[len(ms)-1][1]), true
}

// ParseMarkers returns every fingerprint marked in body, in order: a
// review body lists the findings beyond the inline cap, each marked.
func ParseMarkers(body string) []scanners.Fingerprint {
	var out []scanners.Fingerprint
	for _, m := range markerRE.FindAllStringSubmatch(body, -1) {
		out = append(out, scanners.Fingerprint(m[1]))
	}
	return out
}

// listedRE matches the hidden list of short ids a review body carries
// for findings it had no room to show.
var listedRE = regexp.MustCompile(`<!-- picket:listed=([0-9a-f,]*) -->`)

// ParseListed returns the short ids in a review body's hidden list.
func ParseListed(body string) []string {
	var out []string
	for _, m := range listedRE.FindAllStringSubmatch(body, -1) {
		for _, id := range strings.Split(m[1], ",") {
			if id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// IsMarkedFixed reports whether body was already edited by Fixed.
func IsMarkedFixed(body string) bool { return strings.Contains(body, fixedMarker) }
