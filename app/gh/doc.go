// Package gh builds authenticated go-github clients for the Picket app and
// owns the HTTP middleware every GitHub call goes through.
//
// It owns:
//   - ClientFactory: the app client (JWT) and per-installation clients
//     whose tokens are cached, refreshed before expiry and re-requested
//     once on a 401 (ghinstallation underneath, go-github on top);
//   - RoundTripper middleware: metrics (Metrics), the content-creation
//     Budget per installation, and retry with backoff that honours
//     Retry-After and X-RateLimit-Reset;
//   - the error classification (Kind, Error, KindOf) that jobs use to
//     decide between retrying and giving up.
//
// Tokens and request bodies are never logged nor put in errors.
//
// Use:
//
//	f, err := gh.New(appID, pemKey, gh.WithBaseURL(cfg.GitHubURL), gh.WithMetrics(m), gh.WithLogger(log))
//	c, err := f.Installation(ctx, installationID)
//	_, _, err = c.Checks.CreateCheckRun(ctx, owner, repo, opts)
//	switch k := gh.KindOf(err); {
//	case err == nil:
//	case k.Retryable(): // River retry, after gh.RetryAfter(err) if set
//	default:            // give up: complete the check run neutral
//	}
//
// GraphQL (resolveReviewThread) goes to f.GraphQLURL() with c.Client(),
// so it shares the token, retries, metrics and budget.
//
// It must not import any other app package, templates or cmd; it knows
// nothing of scans or findings. go-github stays concrete: callers get a
// *github.Client, and tests run against app/githubtest at the HTTP level.
package gh
