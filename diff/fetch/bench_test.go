package fetch_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/diff/gittest"
)

// BenchmarkFetch10FilesVsShallowClone fetches 10 files of a large
// repository (a copy of the Go source tree of the toolchain running the
// benchmark, committed in a temporary directory) and compares bytes and
// time with `git clone --depth 1` of the same repository through the same
// counting server. Setup copies and commits the tree, which takes a while;
// the reported metrics are what matter:
//
//	bytes/fetch          response bytes of one Fetch of the 10 blobs
//	bytes/shallow-clone  response bytes of git clone --depth 1
//	%bytes-of-clone      the ratio (issue 4's target: under 2)
//	%time-of-clone       fetch time over shallow-clone time
func BenchmarkFetch10FilesVsShallowClone(b *testing.B) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Fatalf("go env GOROOT: %v", err)
	}
	repo := gittest.NewRepo(b, filepath.Join(strings.TrimSpace(string(out)), "src"))
	repo.Git("repack", "-adq") // serve a packed repository, as a real server does
	srv := gittest.Serve(b, repo)

	start := time.Now()
	shallow := srv.CloneBytes(b, "--depth", "1")
	cloneTime := time.Since(start)

	// Ten files spread over the tree, as a pull request might touch.
	paths := strings.Split(repo.Git("ls-tree", "-r", "--name-only", "HEAD"), "\n")
	var ids []string
	for i := 0; len(ids) < 10; i += len(paths) / 10 {
		ids = append(ids, repo.BlobID("HEAD", paths[i]))
	}
	f, err := fetch.New(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	var st fetch.Stats
	var total time.Duration
	n := 0
	for b.Loop() {
		var blobs fetch.Blobs
		blobs, st, err = f.Fetch(context.Background(), ids)
		if err != nil {
			b.Fatal(err)
		}
		if len(blobs) != len(ids) {
			b.Fatalf("got %d blobs, want %d", len(blobs), len(ids))
		}
		total += st.Duration
		n++
	}
	b.ReportMetric(float64(st.Bytes), "bytes/fetch")
	b.ReportMetric(float64(shallow), "bytes/shallow-clone")
	b.ReportMetric(100*float64(st.Bytes)/float64(shallow), "%bytes-of-clone")
	b.ReportMetric(100*float64(total/time.Duration(n))/float64(cloneTime), "%time-of-clone")
}

// BenchmarkFetchOneBlobAdvertCache fetches one blob from the test git
// server with a new Fetcher per fetch, as the pipeline does per scan,
// alternating a fetch without an advertisement cache (GET + POST) and one
// with a warm cache (POST only). Reported:
//
//	ms/uncached          mean time of a fetch without the cache
//	ms/cached            mean time of a fetch with a remembered advertisement
//	%cached-of-uncached  the ratio
func BenchmarkFetchOneBlobAdvertCache(b *testing.B) {
	r := newSmallRepo(b, 11)
	srv := gittest.Serve(b, r.Repo)
	id, _ := r.blob(0)
	cache := fetch.NewAdvertCache()
	fetchOnce := func(opts ...fetch.Option) fetch.Stats {
		f, err := fetch.New(srv.URL, opts...)
		if err != nil {
			b.Fatal(err)
		}
		blobs, st, err := f.Fetch(context.Background(), []string{id})
		if err != nil || len(blobs) != 1 {
			b.Fatalf("Fetch = %d blobs, %v", len(blobs), err)
		}
		return st
	}
	fetchOnce(fetch.WithAdvertCache(cache)) // warm the cache
	var uncached, cached time.Duration
	n := 0
	for b.Loop() {
		st := fetchOnce()
		if st.Requests != 2 {
			b.Fatalf("uncached fetch made %d requests, want 2", st.Requests)
		}
		uncached += st.Duration
		st = fetchOnce(fetch.WithAdvertCache(cache))
		if st.Requests != 1 || !st.AdvertCached {
			b.Fatalf("cached fetch made %d requests, want 1", st.Requests)
		}
		cached += st.Duration
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(n) / float64(time.Millisecond) }
	b.ReportMetric(ms(uncached), "ms/uncached")
	b.ReportMetric(ms(cached), "ms/cached")
	b.ReportMetric(100*float64(cached)/float64(uncached), "%cached-of-uncached")
}
