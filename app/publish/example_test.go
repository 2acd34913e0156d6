package publish_test

import (
	"context"
	"log/slog"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

// A scan job opens the check run first, then publishes the report, and
// aborts on any error so the check never hangs in progress.
func Example() {
	ctx := context.Background()
	var (
		gh     *github.Client // an installation client (gh.ClientFactory)
		report *scanners.Report
		cs     *diff.ChangeSet
		scan   = func() error { return nil } // fetch and run the engine
	)
	state := &publish.MemState{}
	clients := publish.StaticClient(gh)
	pub := publish.Multi{
		publish.NewChecks(clients, state),
		publish.NewReviews(clients, state, slog.Default(), publish.WithBotLogin("picket[bot]")),
	}
	t := publish.Target{Owner: "octo-org", Repo: "hello", PR: 1, HeadSHA: "1111111", BaseSHA: "2222222", InstallationID: 7}
	id, err := pub.Begin(ctx, t)
	if err != nil {
		return // retry the job if publish.Retryable(err)
	}
	err = scan()
	if err == nil {
		err = pub.Publish(ctx, id, t, report, cs, publish.Options{Event: publish.Comment})
	}
	if err != nil {
		if retry, _ := publish.Retryable(err); !retry {
			// Failed for good: complete the check as neutral with the reason.
			if aerr := pub.Abort(ctx, id, t, err); aerr != nil {
				slog.Default().ErrorContext(ctx, "abort check run", "err", aerr)
			}
		}
	}
}
