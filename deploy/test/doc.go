// Package test checks Picket's deployment files without a container engine
// or a cluster: the Dockerfile's instructions (buildkit's parser), the Helm
// chart rendered by Helm's own Go library and decoded strictly into the
// Kubernetes API types, the compose file, and the Grafana dashboard and
// Prometheus alert rules against the metric names app/metrics defines.
//
// It is a separate Go module so that the main module does not inherit
// Helm's and Kubernetes' dependency tree. It reads the files it checks
// from the repository by relative path and imports no Picket package (the
// metric names are parsed out of app/metrics' Go source), so it builds
// whatever state the main module's go.mod is in. Run it with
// `make deploy-test`.
package test
