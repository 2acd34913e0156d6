package storetest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// envChild makes the test binary run TestChildURLs for real.
const envChild = "PICKET_STORETEST_CHILD"

// TestChildURLs is run by TestMissingPostgres in a child process, with
// the environment under test; in the parent it only checks SQLiteURL.
func TestChildURLs(t *testing.T) {
	if os.Getenv(envChild) == "" {
		if u := SQLiteURL(t); !strings.HasPrefix(u, "sqlite:") || !strings.HasSuffix(u, "picket.db") {
			t.Errorf("SQLiteURL = %q", u)
		}
		return
	}
	ForEach(t, func(t *testing.T, url string) {})
}

// TestMissingPostgres runs ForEach without PICKET_TEST_POSTGRES_URL: the
// PostgreSQL subtest must skip with a message naming the variable, and
// fail when PICKET_REQUIRE_POSTGRES=1, as under make test.
func TestMissingPostgres(t *testing.T) {
	for _, tc := range []struct {
		require  string
		wantFail bool
		want     string
	}{
		{"", false, "--- SKIP: TestChildURLs/postgres"},
		{"1", true, "--- FAIL: TestChildURLs/postgres"},
	} {
		t.Run("require="+tc.require, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildURLs$", "-test.v")
			cmd.Env = append(os.Environ(), envChild+"=1", EnvPostgresURL+"=", EnvRequirePostgres+"="+tc.require)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tc.wantFail {
				t.Errorf("child failed: %v, want %v\n%s", failed, tc.wantFail, out)
			}
			if !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), EnvPostgresURL) {
				t.Errorf("child output lacks %q or the variable's name:\n%s", tc.want, out)
			}
			if !strings.Contains(string(out), "--- PASS: TestChildURLs/sqlite") {
				t.Errorf("the SQLite half did not pass:\n%s", out)
			}
		})
	}
}
