// Package githubtest is an in-process fake of the GitHub REST and GraphQL
// APIs for tests of the Picket app.
//
// It owns: the fake server (an httptest.Server), its state (installations,
// repositories, pull requests, check runs, reviews, comments, reactions,
// collaborators, contents, blobs), the OpenAPI contract checks of every
// request and response against ../shared/github/openapi-subset.json, the
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
// It must not import any other package of the project: the app is tested
// against it, so it may not share the app's code (a shared bug would hide
// itself). It is test-only and never imported by production code.
package githubtest
