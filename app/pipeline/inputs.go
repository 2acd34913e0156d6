package pipeline

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"

	"github.com/picketsec/picket/app/internal/later"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/repoconfig"
)

// inputs is what a scan reads from GitHub before it fetches: the pull
// request, its configuration (at the base commit) and its files.
type inputs struct {
	pr    *github.PullRequest
	cfg   repoconfig.Result
	files []*github.CommitFile
}

// readInputs reads the pull request, then its configuration, and beside
// both the pull request's files, which depend on neither: two round
// trips fewer before the fetch can start. expect is the event's count
// of changed files (listFiles). On an error it waits for the
// listing to stop before returning.
func (p *Pipeline) readInputs(ctx context.Context, c *github.Client, t *publish.Target, expect int) (inputs, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listing := later.Go(func() ([]*github.CommitFile, error) { return listFiles(ctx, c, t.Owner, t.Repo, t.PR, expect) })
	in, err := p.readPR(ctx, c, t)
	if err != nil {
		cancel()
		listing.Wait()
		return inputs{}, err
	}
	if in.files, err = listing.Wait(); err != nil {
		return inputs{}, err
	}
	return in, nil
}

// readPR reads the pull request (filling t.BaseSHA when the job did not
// carry it) and its configuration at the base commit.
func (p *Pipeline) readPR(ctx context.Context, c *github.Client, t *publish.Target) (inputs, error) {
	pr, _, err := c.PullRequests.Get(ctx, t.Owner, t.Repo, t.PR)
	if err != nil {
		return inputs{}, fmt.Errorf("get %s: %w", t, err)
	}
	if t.BaseSHA == "" {
		t.BaseSHA = pr.GetBase().GetSHA()
	}
	// Cached per base commit; res.Config is shared and read-only.
	res, err := p.configs.Load(ctx, c, t.Owner, t.Repo, t.BaseSHA)
	if err != nil {
		return inputs{}, err
	}
	if res.Retryable() {
		return inputs{}, fmt.Errorf("load config: %w", res.LoadErr)
	}
	return inputs{pr: pr, cfg: res}, nil
}
