package githubtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestInstallationToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	tok, _, err := e.appGH.Apps.CreateInstallationToken(ctx, testInstID, nil)
	if err != nil {
		t.Fatalf("CreateInstallationToken: %v", err)
	}
	if len(tok.GetToken()) == 40 || !strings.HasPrefix(tok.GetToken(), "ghs_") {
		t.Errorf("token %q: want a ghs_ token that is not 40 characters long", tok.GetToken()[:8])
	}
	if got, want := tok.GetExpiresAt().Time, e.s.Clock().Now().Add(time.Hour); !got.Equal(want) {
		t.Errorf("expires_at = %v, want %v", got, want)
	}
	app, _, err := e.appGH.Apps.Get(ctx, "")
	if err != nil || app.GetID() != testAppID {
		t.Errorf("Apps.Get = %v, %v; want app %d", app.GetID(), err, testAppID)
	}
	inst, _, err := e.appGH.Apps.FindRepositoryInstallation(ctx, testOwner, testName)
	if err != nil || inst.GetID() != testInstID {
		t.Errorf("FindRepositoryInstallation = %v, %v; want %d", inst.GetID(), err, testInstID)
	}
	insts, _, err := e.appGH.Apps.ListInstallations(ctx, nil)
	if err != nil || len(insts) != 1 {
		t.Errorf("ListInstallations = %d, %v; want 1", len(insts), err)
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	tok := e.s.IssueToken(testInstID)
	gh := tokenClient(t, e.s, tok)
	if _, _, err := gh.RateLimit.Get(ctx); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	e.s.Clock().Advance(59 * time.Minute)
	if _, _, err := gh.RateLimit.Get(ctx); err != nil {
		t.Fatalf("token at 59 minutes: %v", err)
	}
	e.s.Clock().Advance(time.Minute)
	_, resp, err := gh.RateLimit.Get(ctx)
	if err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("token at 60 minutes: status %v, err %v; want 401", resp.StatusCode, err)
	}
	if len(e.s.Violations()) != 0 {
		t.Errorf("an expired token is not a contract violation, got %v", e.s.Violations())
	}
}

func TestWrongCredentialKindIsViolation(t *testing.T) {
	t.Parallel()
	e := setup(t, ExpectViolations())
	ctx := context.Background()
	// An app JWT on an installation endpoint.
	_, resp, err := e.appGH.PullRequests.Get(ctx, testOwner, testName, 1)
	if err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("JWT on pulls/get: %v, %v; want 401", resp.StatusCode, err)
	}
	// An installation token on an app endpoint.
	gh := tokenClient(t, e.s, e.s.IssueToken(testInstID))
	if _, _, err := gh.Apps.ListInstallations(ctx, nil); err == nil {
		t.Fatal("token on apps/list-installations succeeded")
	}
	if got := len(e.s.Violations()); got != 2 {
		t.Errorf("violations = %d, want 2: %v", got, e.s.Violations())
	}
}

func TestJWTSignedByOtherKeyRejected(t *testing.T) {
	t.Parallel()
	e := setup(t, ExpectViolations())
	other, _ := GenerateAppKey(t)
	e.s.AddApp(testAppID, &other.PublicKey) // the app's key was rotated
	if _, _, err := e.appGH.Apps.CreateInstallationToken(context.Background(), testInstID, nil); err == nil {
		t.Fatal("token created with a JWT signed by the old key")
	}
	if v := e.s.Violations(); len(v) != 1 || !strings.Contains(v[0], "signature") {
		t.Errorf("violations = %v, want one about the signature", v)
	}
}

func annotations(n int, path string) []*github.CheckRunAnnotation {
	var as []*github.CheckRunAnnotation
	for i := 0; i < n; i++ {
		as = append(as, &github.CheckRunAnnotation{
			Path: github.String(path), StartLine: github.Int(i + 1), EndLine: github.Int(i + 1),
			AnnotationLevel: github.String("failure"), Message: github.String(fmt.Sprintf("finding %d", i)),
			Title: github.String("secret"),
		})
	}
	return as
}

func TestCheckRunLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR(File{Path: "a.go", Patch: patchFor(3)})
	ctx := context.Background()
	run, _, err := e.gh.Checks.CreateCheckRun(ctx, testOwner, testName, github.CreateCheckRunOptions{
		Name: "Picket", HeadSHA: headSHA, Status: github.String("in_progress"),
		Output: &github.CheckRunOutput{Title: github.String("Scanning"), Summary: github.String("…"), Annotations: annotations(50, "a.go")},
	})
	if err != nil {
		t.Fatalf("CreateCheckRun: %v", err)
	}
	if run.GetStatus() != "in_progress" || len(run.PullRequests) != 1 || run.PullRequests[0].GetNumber() != 1 {
		t.Errorf("created run: status %q, %d pull requests; want in_progress and PR 1", run.GetStatus(), len(run.PullRequests))
	}
	for i, n := range []int{50, 10} {
		_, _, err = e.gh.Checks.UpdateCheckRun(ctx, testOwner, testName, run.GetID(), github.UpdateCheckRunOptions{
			Name:   "Picket",
			Output: &github.CheckRunOutput{Title: github.String("2 findings"), Summary: github.String(fmt.Sprintf("batch %d", i)), Annotations: annotations(n, "a.go")},
		})
		if err != nil {
			t.Fatalf("UpdateCheckRun %d: %v", i, err)
		}
	}
	done, _, err := e.gh.Checks.UpdateCheckRun(ctx, testOwner, testName, run.GetID(), github.UpdateCheckRunOptions{
		Name: "Picket", Conclusion: github.String("failure"),
	})
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
	if done.GetStatus() != "completed" || done.GetConclusion() != "failure" || done.CompletedAt == nil {
		t.Errorf("completed run = %s/%s at %v; want completed/failure with a time", done.GetStatus(), done.GetConclusion(), done.CompletedAt)
	}
	if got := done.GetOutput().GetAnnotationsCount(); got != 110 {
		t.Errorf("annotations_count = %d, want 110 (appended across create and updates)", got)
	}
	runs := e.s.CheckRuns(testRepo)
	if len(runs) != 1 || len(runs[0].Annotations) != 110 || runs[0].Summary != "batch 1" || runs[0].Updates != 3 {
		t.Fatalf("stored runs = %+v", runs)
	}
	var all []*github.CheckRunAnnotation
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := e.gh.Checks.ListCheckRunAnnotations(ctx, testOwner, testName, run.GetID(), opt)
		if err != nil {
			t.Fatalf("ListCheckRunAnnotations: %v", err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if len(all) != 110 || all[50].GetMessage() != "finding 0" {
		t.Errorf("listed %d annotations (51st %q), want 110 with the second batch after the first", len(all), all[50].GetMessage())
	}
	list, _, err := e.gh.Checks.ListCheckRunsForRef(ctx, testOwner, testName, headSHA, &github.ListCheckRunsOptions{CheckName: github.String("Picket")})
	if err != nil || list.GetTotal() != 1 || list.CheckRuns[0].GetID() != run.GetID() {
		t.Errorf("ListCheckRunsForRef = %v, %v", list, err)
	}
	got, _, err := e.gh.Checks.GetCheckRun(ctx, testOwner, testName, run.GetID())
	if err != nil || got.GetConclusion() != "failure" {
		t.Errorf("GetCheckRun = %v, %v", got.GetConclusion(), err)
	}
}

func TestCheckRunLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 256)
	tests := []struct {
		name string
		out  *github.CheckRunOutput
	}{
		{"51 annotations", &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: annotations(51, "a.go")}},
		{"summary over 65535", &github.CheckRunOutput{Title: github.String("t"), Summary: github.String(strings.Repeat("s", 65536))}},
		{"title over 255", &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: []*github.CheckRunAnnotation{{
			Path: github.String("a.go"), StartLine: github.Int(1), EndLine: github.Int(1), AnnotationLevel: github.String("notice"), Message: github.String("m"), Title: &long,
		}}}},
		{"message over 64 KB", &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: []*github.CheckRunAnnotation{{
			Path: github.String("a.go"), StartLine: github.Int(1), EndLine: github.Int(1), AnnotationLevel: github.String("notice"), Message: github.String(strings.Repeat("m", 64*1024+1)),
		}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, ExpectViolations())
			_, resp, err := e.gh.Checks.CreateCheckRun(context.Background(), testOwner, testName, github.CreateCheckRunOptions{Name: "Picket", HeadSHA: headSHA, Output: tc.out})
			var ge *github.ErrorResponse
			if !errors.As(err, &ge) || resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("CreateCheckRun: %v; want 422", err)
			}
			if n := len(e.s.CheckRuns(testRepo)); n != 0 {
				t.Errorf("%d check runs stored after a rejected create", n)
			}
			if len(e.s.Violations()) != 1 {
				t.Errorf("violations = %v, want 1", e.s.Violations())
			}
		})
	}
}

func TestCheckRunCreateWithoutStatus(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// GitHub accepts a create without status (it defaults to queued); the
	// upstream discriminator would reject it if the fake did not clear it.
	run, _, err := e.gh.Checks.CreateCheckRun(context.Background(), testOwner, testName, github.CreateCheckRunOptions{Name: "Picket", HeadSHA: headSHA})
	if err != nil || run.GetStatus() != "queued" {
		t.Fatalf("CreateCheckRun = %q, %v; want queued", run.GetStatus(), err)
	}
}

// TestTokenRenewalAfterExpiry is the path the app takes: its cached
// token expires on the fake clock, GitHub answers 401, and a fresh
// ghinstallation transport (new JWT, new token) works again.
func TestTokenRenewalAfterExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addPR()
	ctx := context.Background()
	if _, _, err := e.gh.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	e.s.Clock().Advance(2 * time.Hour)
	_, resp, err := e.gh.PullRequests.Get(ctx, testOwner, testName, 1)
	if err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("cached token after 2 h: %v, want 401", err)
	}
	fresh := setupClient(t, e)
	if _, _, err := fresh.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Errorf("fresh installation transport: %v", err)
	}
	if got := len(e.s.Succeeded("apps/create-installation-access-token")); got != 2 {
		t.Errorf("%d tokens issued, want 2", got)
	}
}

func TestCheckRunCreateWithOnlyConclusion(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// "Providing conclusion will automatically set the status parameter to completed."
	run, _, err := e.gh.Checks.CreateCheckRun(context.Background(), testOwner, testName, github.CreateCheckRunOptions{
		Name: "Picket", HeadSHA: headSHA, Conclusion: github.String("neutral"),
		Output: &github.CheckRunOutput{Title: github.String("Not scanned"), Summary: github.String("no credentials")},
	})
	if err != nil || run.GetStatus() != "completed" || run.GetConclusion() != "neutral" || run.CompletedAt == nil {
		t.Fatalf("CreateCheckRun = %s/%s, %v; want completed/neutral", run.GetStatus(), run.GetConclusion(), err)
	}
}
