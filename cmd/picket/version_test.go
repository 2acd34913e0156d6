package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionString(t *testing.T) {
	t.Parallel()
	vcs := &debug.BuildInfo{GoVersion: "go1.26.0", Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-23T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	for _, tt := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "picket " + version},
		{"no vcs", &debug.BuildInfo{GoVersion: "go1.26.0"}, true, "picket " + version + " (go1.26.0)"},
		{"vcs", vcs, true, "picket " + version + " (commit 0123456789ab, 2026-11-23T10:00:00Z, modified; go1.26.0)"},
	} {
		if got := versionString(tt.info, tt.ok); got != tt.want {
			t.Errorf("%s: versionString = %q, want %q", tt.name, got, tt.want)
		}
	}
}
