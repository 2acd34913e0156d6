package secrets_test

import (
	"testing"

	"github.com/picketsec/picket/scanners/scannertest"
	"github.com/picketsec/picket/scanners/secrets"
)

func newScanner(t testing.TB) *secrets.Scanner {
	t.Helper()
	s, err := secrets.New(secrets.Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// TestConformance runs the shared kit over testdata/rules/*.txtar: every
// rule has positive and negative fixtures, planted secrets never appear in
// any output, fingerprints survive line shifts.
func TestConformance(t *testing.T) {
	scannertest.Run(t, newScanner(t), "testdata/rules")
}
