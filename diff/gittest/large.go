package gittest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Spec describes a generated repository with many files and a long
// history.
type Spec struct {
	Files    int    // files in the first commit
	FileSize int    // approximate bytes per file
	Commits  int    // further commits
	Changes  int    // files rewritten per further commit
	Seed     uint64 // makes the contents reproducible
}

// Generated is a generated repository and the path of every file.
type Generated struct {
	*Repo
	Paths []string
}

// Generate builds a repository per spec: source-like text files of
// pseudo-random words (so they compress like code, not like zeros), then
// Commits commits each rewriting Changes of them.
func Generate(tb testing.TB, spec Spec) *Generated {
	tb.Helper()
	rng := rand.New(rand.NewPCG(spec.Seed, spec.Seed^0x9e3779b97f4a7c15))
	g := &Generated{Repo: NewRepo(tb, "")}
	files := make(map[string]string, spec.Files)
	for i := range spec.Files {
		p := fmt.Sprintf("pkg%02d/file%04d.go", i%37, i)
		g.Paths = append(g.Paths, p)
		files[p] = text(rng, spec.FileSize)
	}
	g.Commit("import tree", files)
	for c := range spec.Commits {
		change := make(map[string]string, spec.Changes)
		for range spec.Changes {
			change[g.Paths[rng.IntN(len(g.Paths))]] = text(rng, spec.FileSize)
		}
		g.Commit(fmt.Sprintf("change %d", c), change)
	}
	return g
}

var words = strings.Fields(`func return if else for range var const type struct interface map
	chan go defer select case switch package import err nil ctx string int byte error true false
	len append make new copy delete panic recover fmt Errorf Sprintf context Context http Request`)

// text returns about size bytes of word salt in short lines.
func text(rng *rand.Rand, size int) string {
	var b strings.Builder
	b.Grow(size + 80)
	for b.Len() < size {
		for range 4 + rng.IntN(8) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%x\n", rng.Uint32())
	}
	return b.String()
}
