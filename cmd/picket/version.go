package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

// runVersion prints the version and, when the binary was built from a
// git checkout, the commit it was built from.
func runVersion(_ context.Context, args []string, s streams) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "Usage: picket version") }
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	fmt.Fprintln(s.stdout, versionString(debug.ReadBuildInfo()))
	return exitOK
}

// versionString renders "picket v1.2.3 (commit 0123abcd, 2026-11-23T10:00:00Z, modified; go1.26.0)".
func versionString(info *debug.BuildInfo, ok bool) string {
	out := "picket " + version
	if !ok || info == nil {
		return out
	}
	var rev, when string
	var modified bool
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			when = kv.Value
		case "vcs.modified":
			modified = kv.Value == "true"
		}
	}
	if version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		out = "picket " + info.Main.Version
	}
	detail := ""
	if rev != "" {
		detail = "commit " + rev[:min(12, len(rev))]
		if when != "" {
			detail += ", " + when
		}
		if modified {
			detail += ", modified"
		}
		detail += "; "
	}
	return out + " (" + detail + info.GoVersion + ")"
}
