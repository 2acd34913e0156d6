package build

import (
	"testing"

	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
)

func newScanner(t testing.TB, cfg config.BuildConfig) *Scanner {
	t.Helper()
	s, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	scannertest.Run(t, newScanner(t, config.Default().Build), "testdata/rules")
}
