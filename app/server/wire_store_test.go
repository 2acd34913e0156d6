package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestQueueTimesConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "picket.yml")
	if err := os.WriteFile(file, []byte("job_timeout: 3m\nrescue_after: 5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                    string
		env                     map[string]string
		file                    string
		wantTimeout, wantRescue time.Duration
		wantErr                 string
	}{
		{name: "defaults", wantTimeout: 10 * time.Minute, wantRescue: 11 * time.Minute},
		{name: "timeout only: rescue a minute after it", env: map[string]string{EnvJobTimeout: "20m"}, wantTimeout: 20 * time.Minute, wantRescue: 21 * time.Minute},
		{name: "both", env: map[string]string{EnvJobTimeout: "30s", EnvRescueAfter: "45s"}, wantTimeout: 30 * time.Second, wantRescue: 45 * time.Second},
		{name: "from the file", file: file, wantTimeout: 3 * time.Minute, wantRescue: 5 * time.Minute},
		{name: "env wins over file", env: map[string]string{EnvRescueAfter: "4m"}, file: file, wantTimeout: 3 * time.Minute, wantRescue: 4 * time.Minute},
		{name: "rescue not after timeout", env: map[string]string{EnvJobTimeout: "5m", EnvRescueAfter: "5m"}, wantErr: EnvRescueAfter + ": must be longer"},
		{name: "not a duration", env: map[string]string{EnvJobTimeout: "ten"}, wantErr: EnvJobTimeout + ": not a positive duration"},
		{name: "negative", env: map[string]string{EnvRescueAfter: "-1m"}, wantErr: EnvRescueAfter + ": not a positive duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig(envOf(tc.env), tc.file)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("LoadConfig error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.JobTimeout != tc.wantTimeout || c.RescueAfter != tc.wantRescue {
				t.Errorf("JobTimeout %s RescueAfter %s, want %s %s", c.JobTimeout, c.RescueAfter, tc.wantTimeout, tc.wantRescue)
			}
		})
	}
}
