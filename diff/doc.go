// Package diff owns Picket's change model: a ChangeSet of changed files
// between two revisions, each with its hunks, the set of added head lines,
// its blob ids and lazy access to its contents.
//
// A ChangeSet is built from a local repository (FromRepo, with go-git, no
// git binary), from a unified diff (ParseUnified), or from blobs fetched
// from a remote (package diff/fetch). Scanners read files only through
// File.Content, so they never know where the bytes came from.
//
// This package must not import scanners, app or any GitHub client.
package diff
