package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/picketsec/picket/scanners"
)

// Repository is Picket's home, used for SARIF's informationUri and rule help links.
const Repository = "https://github.com/picketsec/picket"

// FingerprintKey is the partialFingerprints key of Picket's line-independent
// fingerprint. The "/v1" changes if the fingerprint's recipe ever does, so
// code scanning does not match old and new alerts by accident.
const FingerprintKey = "picket/v1"

// srcRoot is the uriBaseId of every location: paths are repository-relative.
const srcRoot = "%SRCROOT%"

// Level maps a severity to a SARIF level: critical and high are errors,
// medium a warning, low and info notes.
func Level(s scanners.Severity) string {
	switch {
	case s >= scanners.High:
		return sarif.LevelError
	case s == scanners.Medium:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// RuleHelpURI links to the rule's section of docs/rules.md.
func RuleHelpURI(id string) string {
	return Repository + "/blob/main/docs/rules.md#" + Anchor(id)
}

// WriteSARIF writes a SARIF 2.1.0 log with one run. Every rule is a
// reportingDescriptor with help text, its kind and CWEs in
// properties.tags and properties["security-severity"] for GitHub code
// scanning; every result carries partialFingerprints[FingerprintKey] and
// a region. Suppressed findings are results with a SARIF suppression
// ("inSource" for inline comments, "external" for baselines and ignores).
func WriteSARIF(w io.Writer, rep *scanners.Report, opts Options) error {
	log := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("picket", Repository)
	run.Tool.Driver.WithFullName("Picket security review")
	if opts.ToolVersion != "" {
		run.Tool.Driver.WithVersion(opts.ToolVersion)
	}
	run.ColumnKind = ptr("unicodeCodePoints")
	for _, r := range sarifRules(rep, opts.Rules) {
		addRule(run, r)
	}
	for _, f := range rep.Findings {
		addResult(run, f)
	}
	for _, s := range rep.Suppressed {
		res := addResult(run, s.Finding)
		res.Suppressions = append(res.Suppressions, suppression(s))
	}
	run.Invocations = append(run.Invocations, invocation(rep))
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// sarifRules returns the rules to describe, sorted by id: the given ones
// plus any a finding uses that is missing.
func sarifRules(rep *scanners.Report, given []scanners.Rule) []scanners.Rule {
	byID := map[string]scanners.Rule{}
	for _, r := range given {
		byID[r.ID] = r
	}
	for _, f := range rep.Findings {
		if _, ok := byID[f.Rule.ID]; !ok {
			byID[f.Rule.ID] = f.Rule
		}
	}
	for _, s := range rep.Suppressed {
		if _, ok := byID[s.Finding.Rule.ID]; !ok {
			byID[s.Finding.Rule.ID] = s.Finding.Rule
		}
	}
	out := make([]scanners.Rule, 0, len(byID))
	for _, r := range byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func addRule(run *sarif.Run, r scanners.Rule) {
	props := sarif.NewPropertyBag()
	tags := []string{"security", string(r.Kind)}
	for _, c := range r.CWE {
		tags = append(tags, "external/cwe/"+strings.ToLower(c))
	}
	props.WithTags(tags)
	props.Add("security-severity", r.Severity.SecurityScore())
	props.Add("precision", "high")
	props.Add("problem.severity", Level(r.Severity))

	help := r.Why + "\n\nHow to fix: " + r.Fix
	md := fmt.Sprintf("**%s**\n\n%s\n\n**How to fix:** %s", r.Title, r.Why, r.Fix)
	if len(r.Refs) > 0 {
		md += "\n\n**References:**\n"
		for _, ref := range r.Refs {
			md += "\n- " + ref
		}
	}
	run.AddRule(r.ID).
		WithName(ruleName(r.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(r.Why)).
		WithHelp(sarif.NewMultiformatMessageString().WithText(help).WithMarkdown(md)).
		WithHelpURI(RuleHelpURI(r.ID)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(Level(r.Severity))).
		WithProperties(props)
}

// ruleName turns "secrets/github-pat" into "SecretsGithubPat", SARIF's
// recommended identifier-like name.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func addResult(run *sarif.Run, f scanners.Finding) *sarif.Result {
	msg := oneLine(f.Message)
	if !f.Evidence.IsZero() && !strings.Contains(msg, f.Evidence.String()) {
		msg += ": " + f.Evidence.String()
	}
	res := run.CreateResultForRule(f.Rule.ID).
		WithLevel(Level(f.Severity)).
		WithMessage(sarif.NewTextMessage(msg)).
		WithPartialFingerprints(map[string]string{FingerprintKey: string(f.Fingerprint)})
	loc := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewArtifactLocation().WithURI(f.Path).WithURIBaseID(srcRoot))
	if f.Range.StartLine > 0 {
		loc.WithRegion(region(f.Range))
	}
	res.AddLocation(sarif.NewLocation().WithPhysicalLocation(loc))
	props := sarif.NewPropertyBag()
	props.Add("placement", f.Placement.String())
	props.Add("severity", f.Severity.String())
	if f.Severity != f.Rule.Severity {
		// Re-rated by configuration: tell code scanning through the result.
		props.Add("security-severity", f.Severity.SecurityScore())
	}
	res.WithProperties(props)
	return res
}

// region converts a Range to a SARIF region. Both are 1-based with an
// exclusive end column (the column just past the match), as go/token,
// tree-sitter points (+1) and the secret scanner produce; a zero column
// means the whole line.
func region(r scanners.Range) *sarif.Region {
	reg := sarif.NewRegion().WithStartLine(r.StartLine)
	end := max(r.EndLine, r.StartLine)
	reg.WithEndLine(end)
	if r.StartCol > 0 {
		reg.WithStartColumn(r.StartCol)
		if r.EndCol > 0 && (end > r.StartLine || r.EndCol > r.StartCol) {
			reg.WithEndColumn(r.EndCol)
		}
	}
	return reg
}

func suppression(s scanners.SuppressedFinding) *sarif.Suppression {
	kind := "external"
	if s.By == "inline" {
		kind = "inSource"
	}
	sup := sarif.NewSuppression().WithKind(kind).WithStatus("accepted")
	just := s.By
	if s.Reason != "" {
		just += ": " + s.Reason
	}
	return sup.WithJustification(just)
}

// invocation records the run's outcome: scanner errors as error
// notifications, skipped files as notes.
func invocation(rep *scanners.Report) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	for _, s := range rep.Scanners {
		for _, e := range s.Errors {
			n := sarif.NewNotification().WithLevel(sarif.LevelError).
				WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s: %s", s.Name, oneLine(e.Error))))
			if e.Path != "" && e.Path != "*" {
				n.WithLocations([]*sarif.Location{fileLocation(e.Path)})
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
		}
	}
	for _, f := range rep.Files {
		if !worthListing(f) {
			continue
		}
		n := sarif.NewNotification().WithLevel(sarif.LevelNote).
			WithMessage(sarif.NewTextMessage("skipped: " + f.Skip.String())).
			WithLocations([]*sarif.Location{fileLocation(f.Path)})
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return inv
}

func fileLocation(path string) *sarif.Location {
	return sarif.NewLocation().WithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewArtifactLocation().WithURI(path).WithURIBaseID(srcRoot)))
}

func ptr[T any](v T) *T { return &v }
