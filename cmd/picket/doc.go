// Command picket reviews changes for security problems: secrets, risky
// build and CI-pipeline changes and static-analysis findings, reporting
// only what a change introduces.
//
//	picket scan      scan a commit range, the index or a unified diff
//	picket rules     list every rule
//	picket version   print the version
//
// Each subcommand lives in its own file and only wires flags to
// configuration to a call; the work is done in diff, scanners and their
// sub-packages. Nothing imports this package.
package main

//go:generate sh -c "go run . rules --format markdown > ../../docs/rules.md.tmp && mv ../../docs/rules.md.tmp ../../docs/rules.md"
