package sast

import (
	"context"
	"testing"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

func TestPartialFileParseFailureIsNotAnError(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	fragment := []byte("\n\n\tx := r.FormValue(\"q\")\n\n}\n")
	for _, partial := range []bool{true, false} {
		f := &diff.File{Path: "h.go", Status: diff.Modified, Partial: partial}
		_, err := s.Scan(context.Background(), scanners.Input{File: f, Path: f.Path, Content: fragment})
		if gotErr := err != nil; gotErr == partial {
			t.Errorf("partial=%v: Scan error = %v", partial, err)
		}
	}
}
