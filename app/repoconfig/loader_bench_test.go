package repoconfig

import (
	"context"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
)

// BenchmarkLoad is what a scan spends on its configuration when the
// repository has none and the organisation default applies (two reads),
// uncached and from a warm Loader.
func BenchmarkLoad(b *testing.B) {
	e := setup(b, "", "", "fail_on: medium\n", githubtest.Installation{})
	ctx := context.Background()
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			if res, err := Load(ctx, e.c, owner, name, baseSHA); err != nil || res.Source.Origin != FromOrg {
				b.Fatalf("Load = %v, origin %v", err, res.Source.Origin)
			}
		}
	})
	b.Run("loader", func(b *testing.B) {
		l := NewLoader()
		for b.Loop() {
			if res, err := l.Load(ctx, e.c, owner, name, baseSHA); err != nil || res.Source.Origin != FromOrg {
				b.Fatalf("Load = %v, origin %v", err, res.Source.Origin)
			}
		}
	})
}
