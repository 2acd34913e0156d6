// Package gittest is a test helper: it builds a real git repository in a
// test's temporary directory (copy a fixture tree, git init, commit, branch)
// and serves it over git's smart HTTP protocol with the real
// git-http-backend behind net/http/cgi, configured as GitHub is
// (allow-reachable/any SHA-1 in want, filter, protocol v2). The server
// counts the bytes and requests it answers, so tests can assert how much a
// fetch moved.
//
// It runs the git binary and is meant for tests and benchmarks only; no
// production code may import it. It imports only the standard library.
package gittest
