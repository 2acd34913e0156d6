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
// It must not import any other app package, templates or cmd; it knows
// nothing of scans or findings. go-github stays concrete: callers get a
// *github.Client, and tests run against app/githubtest at the HTTP level.
package gh
