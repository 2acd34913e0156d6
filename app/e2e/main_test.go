package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// EnvBinary names a prebuilt picket binary; TestMain builds one when it is
// unset.
const EnvBinary = "PICKET_E2E_BINARY"

// binary is the picket executable the tests start.
var binary string

// TestMain builds cmd/picket once (without -race, for speed: the race
// detector watches the test process, the binary is the system under test)
// unless EnvBinary points at one.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if b := os.Getenv(EnvBinary); b != "" {
		binary = b
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "picket-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "picket")
	gobin, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: the go command is needed to build picket (or set %s): %v\n", EnvBinary, err)
		return 1
	}
	cmd := exec.Command(gobin, "build", "-o", binary, "github.com/picketsec/picket/cmd/picket")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build picket: %v\n", err)
		return 1
	}
	return m.Run()
}
