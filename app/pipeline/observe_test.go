package pipeline_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/publish"
)

// lookups records CacheLookup calls.
type lookups struct {
	mu         sync.Mutex
	n, hits    int
	wrongLayer []string
}

func (l *lookups) CacheLookup(layer string, hit bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if layer != "memory" {
		l.wrongLayer = append(l.wrongLayer, layer)
	}
	l.n++
	if hit {
		l.hits++
	}
}

func (l *lookups) take() (n, hits int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, hits = l.n, l.hits
	l.n, l.hits = 0, 0
	return n, hits
}

func TestCacheLookupsAndScanSizeObserved(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"app/config.py": cfgBase, "app/util.py": "def f():\n    return 1\n"})
	head := e.push(map[string]string{
		"app/config.py": "# service credentials\nGITHUB_TOKEN = \"" + secret + "\"\nNAME = \"svc\"\n",
		"app/util.py":   "def f():\n    return 2\n",
		"app/new.py":    "def g():\n    return 3\n",
	})
	// A pipeline like setup's, with a cache observer.
	f, err := gh.New(appID, appPEM, gh.WithBaseURL(e.gh.BaseURL()), gh.WithTransport(e.gh.HTTPClient().Transport),
		gh.WithClock(e.gh.Clock().Now), gh.WithSleeper(func(ctx context.Context, d time.Duration) error { e.gh.Clock().Advance(d); return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	state := &publish.MemState{}
	obs := &lookups{}
	p := pipeline.New(f, publish.Multi{publish.NewChecks(f, state), publish.NewReviews(f, state, nil)},
		func(context.Context, int64, string) (string, error) { return gitTok, nil },
		pipeline.WithCacheObserver(obs), pipeline.WithCloneURL(func(string, string) string { return e.srv.URL }))
	args := jobs.ScanArgs{InstallationID: instID, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: e.base, Reason: "opened"}

	ctx, size := pipeline.WithScanSize(context.Background())
	if n, ok := size.Files(); ok {
		t.Fatalf("size known before the scan: %d", n)
	}
	if err := p.Scan(ctx, args); err != nil {
		t.Fatalf("first Scan = %v", err)
	}
	if n, ok := size.Files(); !ok || n != 3 {
		t.Errorf("ScanSize.Files() = %d, %v; want 3, true", n, ok)
	}
	first, firstHits := obs.take()
	if first == 0 || firstHits != 0 {
		t.Errorf("first scan: %d look-ups, %d hits; want some look-ups, no hit", first, firstHits)
	}
	if first > 3 {
		t.Errorf("first scan: %d look-ups for 3 files; the pipeline's own fetch decisions must not be counted", first)
	}

	args.Reason = "rescan"
	if err := p.Scan(context.Background(), args); err != nil { // no ScanSize: nothing to fill
		t.Fatalf("second Scan = %v", err)
	}
	second, secondHits := obs.take()
	if second != first || secondHits != first {
		t.Errorf("rescan of the same head: %d look-ups, %d hits; want %d of each", second, secondHits, first)
	}
	if len(obs.wrongLayer) > 0 {
		t.Errorf("layers %v, want memory (the default LRU)", obs.wrongLayer)
	}
}

func TestScanSizeUnknownWhenScanEndsEarly(t *testing.T) {
	t.Parallel()
	e := setup(t, map[string]string{"a.py": "x = 1\n"})
	ctx, size := pipeline.WithScanSize(context.Background())
	// A repository name that is not owner/name ends the scan before any call.
	err := e.p.Scan(ctx, jobs.ScanArgs{InstallationID: instID, Repo: "no-slash", PR: 1, HeadSHA: e.base})
	if err == nil {
		t.Fatal("Scan of a bad repository name succeeded")
	}
	if n, ok := size.Files(); ok {
		t.Errorf("ScanSize.Files() = %d, true after an early end; want unknown", n)
	}
}
