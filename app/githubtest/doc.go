// Package githubtest is an in-process fake of the GitHub REST and GraphQL
// APIs for tests of the Picket app.
//
// It owns: the fake server (an httptest.Server), its state (installations,
// repositories, pull requests, check runs, reviews, comments, reactions,
// collaborators, contents, blobs), the OpenAPI contract checks of every
// request and response against ../shared/github/openapi-subset.json
// (merged with testdata/openapi-supplement.json, the operations the
// subset lacks: webhook deliveries, redelivery, pulls/list, the
// installation's repositories), the
// limits GitHub enforces that the description cannot express (annotations
// appended across updates, off-diff review comments rejected with 422,
// expired installation tokens, per-page caps, secondary rate limits), fault
// injection, call recording and a webhook delivery helper.
//
// Every contract violation by the client (an invalid request, an unknown
// route, a bad credential shape) is reported with t.Errorf on the
// testing.TB given to New, in the way scalibr's mockgithub fails unexpected
// requests; an invalid response produced by the fake itself is a bug in
// the fake and is reported the same way.
//
// Requests are checked synchronously (the check decides the answer);
// responses are checked asynchronously, after they are written, so the
// cost of the check stays off the latencies the app's tests and
// benchmarks measure. At most a bounded number of response checks are
// pending; beyond that a response is checked inline before it is
// written. A failed response check therefore surfaces a little after the
// client got its answer, and always before the test ends: the cleanup New
// registers closes the server and then waits for every pending check.
// A test that wants such failures reported mid-test calls Flush.
//
// A typical test:
//
//	s := githubtest.New(t)
//	key, pemBytes := githubtest.GenerateAppKey(t)
//	s.AddApp(42, &key.PublicKey)
//	s.AddInstallation(githubtest.Installation{ID: 7, AppID: 42, Account: "octo-org"})
//	s.AddRepo(githubtest.Repo{Owner: "octo-org", Name: "hello", InstallationID: 7})
//	s.AddPullRequest("octo-org/hello", githubtest.PR{Number: 1, HeadSHA: head, BaseSHA: base,
//		Files: []githubtest.File{{Path: "a.go", Patch: "@@ -1,2 +1,3 @@\n a\n+b\n c"}}})
//	// point the app at s.URL() (ghinstallation BaseURL) / s.BaseURL() (go-github),
//	// deliver a webhook built from the recorded examples:
//	body := s.Webhooks().Payload("pull_request", "opened", githubtest.WebhookPatch{
//		InstallationID: 7, Repo: "octo-org/hello", PR: 1, HeadSHA: head, BaseSHA: base})
//	githubtest.Deliver(ctx, appURL+"/webhook", secret, "pull_request", body)
//	// then assert on s.CheckRuns, s.Reviews, s.Comments, s.Calls("checks/update")…
//
// SetWebhook and SendWebhook deliver through the fake, which records each
// attempt for the deliveries API (and its redeliveries).
//
// Faults (InjectFault), the clock (Clock().Advance, for token expiry and
// the secondary limit) and permissions (SetPermission) shape the
// scenario. ExpectViolations turns contract failures into data
// (Violations) for tests that provoke them on purpose.
//
// It must not import any other package of the project: the app is tested
// against it, so it may not share the app's code (a shared bug would hide
// itself). It is test-only and never imported by production code.
package githubtest
