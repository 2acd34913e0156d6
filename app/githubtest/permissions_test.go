package githubtest

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestInstallationPermissions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// The permissions issue 4 asks the manifest for.
	manifest := map[string]string{"checks": "write", "pull_requests": "write", "contents": "read", "metadata": "read", "issues": "read"}
	e.s.AddInstallation(Installation{ID: 9, AppID: testAppID, Account: "least", Permissions: manifest})
	e.s.AddRepo(Repo{Owner: "least", Name: "r", InstallationID: 9})
	e.s.AddPullRequest("least/r", PR{Number: 1, HeadSHA: headSHA, BaseSHA: baseSHA})
	ctx := context.Background()
	tok, _, err := e.appGH.Apps.CreateInstallationToken(ctx, 9, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.GetPermissions(); got.GetChecks() != "write" || got.GetIssues() != "read" || got.GetSecurityEvents() != "" {
		t.Errorf("token permissions = %+v", got)
	}
	gh := tokenClient(t, e.s, tok.GetToken())
	// Commenting on a pull request needs issues:write OR pull_requests:write.
	if _, _, err := gh.Issues.CreateComment(ctx, "least", "r", 1, &github.IssueComment{Body: github.String("ok")}); err != nil {
		t.Errorf("comment with pull_requests:write: %v", err)
	}
	_, resp, err := gh.CodeScanning.UploadSarif(ctx, "least", "r", &github.SarifAnalysis{CommitSHA: github.String(headSHA), Ref: github.String("refs/heads/main"), Sarif: github.String("x")})
	if err == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("SARIF upload without security_events: %v, want 403", err)
	}
	if len(e.s.SARIFUploads()) != 0 {
		t.Error("a forbidden upload was recorded")
	}
}
