package sast

import (
	"testing"

	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	scannertest.Run(t, s, "testdata/rules")
}

func TestNewLanguages(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{Config: config.SASTConfig{Languages: []string{"cobol"}}}); err == nil {
		t.Error("New accepted an unknown language")
	}
	s, err := New(Options{Config: config.SASTConfig{Languages: []string{"Go", "python"}}})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"a.go": true, "b.py": true, "c.js": false, "D.java": false, "e.txt": false} {
		f := scannertest.NewFile(path, nil, []byte("x"))
		if got := s.Wants(f); got != want {
			t.Errorf("Wants(%s) = %v, want %v", path, got, want)
		}
	}
}
