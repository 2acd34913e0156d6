// Package config is the repository configuration, `.github/picket.yml`:
// its schema, strict parsing with line numbers, defaults and validation.
// The CLI reads it from disk; the GitHub App reads it from the pull
// request's base commit. It must not import app or any GitHub client.
package config
