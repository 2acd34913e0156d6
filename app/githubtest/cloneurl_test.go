package githubtest

import (
	"context"
	"testing"
)

func TestRepoCloneURL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const gitURL = "http://127.0.0.1:1/repo"
	e.s.AddRepo(Repo{Owner: testOwner, Name: "cloned", InstallationID: testInstID, CloneURL: gitURL})
	e.s.AddPullRequest(testOwner+"/cloned", PR{Number: 1, HeadSHA: headSHA, BaseSHA: baseSHA})
	e.addPR()
	ctx := context.Background()
	for _, tc := range []struct{ repo, want string }{
		{"cloned", gitURL},
		{testName, "https://github.com/octocat/Hello-World.git"}, // the contract example's
	} {
		t.Run(tc.repo, func(t *testing.T) {
			pr, _, err := e.gh.PullRequests.Get(ctx, testOwner, tc.repo, 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := pr.GetBase().GetRepo().GetCloneURL(); got != tc.want {
				t.Errorf("base repo clone_url = %q, want %q", got, tc.want)
			}
		})
	}
	repos, _, err := e.gh.Apps.ListRepos(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range repos.Repositories {
		if r.GetName() == "cloned" && r.GetCloneURL() != gitURL {
			t.Errorf("installation repositories list clone_url %q, want %q", r.GetCloneURL(), gitURL)
		}
	}
}
