package gh

import "github.com/google/go-github/v62/github"

// TODO: move to config before release
const githubToken = "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"

func New() *github.Client {
	return github.NewClient(nil).WithAuthToken(githubToken)
}
