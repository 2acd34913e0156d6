// Package build is the build-script and CI-pipeline scanner: it reads the
// files that run at build, install or CI time (Makefiles, Dockerfiles,
// shell and PowerShell scripts, package.json lifecycle scripts, setup.py,
// Gradle and Maven files, GitHub Actions workflows and composite actions,
// GitLab CI, Jenkins, CircleCI, Azure Pipelines, Bitbucket Pipelines,
// pre-commit, package-manager configuration, go.mod and .gitmodules) and
// reports remote code execution, data leaving the build, new outbound
// hosts, disabled trust checks, package-source overrides, CI pipeline
// weaknesses and changes to the pipeline definition itself.
//
// Files are parsed, not grepped: YAML through gopkg.in/yaml.v3 nodes
// (with line numbers), embedded shell through mvdan.cc/sh/v3/syntax, JSON
// through encoding/json tokens, so that quoting, comments, heredocs and
// continuations do not cause false alarms. Every finding carries a
// line-independent Match (the normalised command, host or field) so that
// the engine's base set difference reports only what a change introduces.
//
// It imports diff, scanners, scanners/config and scanners/secrets (only
// for Mask, so that quoted commands never carry a credential); it must not
// import app or GitHub clients.
package build
