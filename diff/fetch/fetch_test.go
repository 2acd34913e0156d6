package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/diff/gittest"
)

// largeRepo is a repository with many files and a long history; its
// full clone is hundreds of times the size of three blobs.
func largeRepo(t testing.TB) *gittest.Generated {
	return gittest.Generate(t, gittest.Spec{Files: 400, FileSize: 2000, Commits: 40, Changes: 15, Seed: 42})
}

func TestFetchOnlyWantedBlobs(t *testing.T) {
	g := largeRepo(t)
	full := gittest.Serve(t, g.Repo).CloneBytes(t)
	for _, tc := range []struct {
		name string
		opts []gittest.ServerOption
		want int // protocol version
	}{
		{"v2", nil, 2},
		{"v0 with allow-reachable-sha1-in-want", []gittest.ServerOption{gittest.WithoutProtocolV2()}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var postProto atomic.Value // the Git-Protocol header of the pack request
			record := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost {
						postProto.Store(r.Header.Get("Git-Protocol"))
					}
					next.ServeHTTP(w, r)
				})
			}
			srv := gittest.Serve(t, g.Repo, append(tc.opts, gittest.WithMiddleware(record))...)
			paths := []string{g.Paths[3], g.Paths[150], g.Paths[399]}
			wants := map[string]string{}
			for _, p := range paths {
				wants[g.BlobID("HEAD", p)] = g.Git("show", "HEAD:"+p) + "\n"
			}
			ids := make([]string, 0, len(wants))
			for id := range wants {
				ids = append(ids, strings.ToUpper(id)) // ids are case-insensitive
			}

			f, err := fetch.New(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			blobs, st, err := f.Fetch(context.Background(), ids)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(blobs) != len(wants) || st.Objects != len(wants) {
				t.Errorf("got %d blobs, %d objects in the pack; want %d", len(blobs), st.Objects, len(wants))
			}
			for id, content := range wants {
				if got := string(blobs[id]); got != content {
					t.Errorf("blob %s: got %d bytes, want %d", id, len(got), len(content))
				}
			}
			if st.Protocol != tc.want || st.Requests != 2 || srv.Requests() != 2 {
				t.Errorf("protocol %d in %d requests (server saw %d); want protocol %d in 2", st.Protocol, st.Requests, srv.Requests(), tc.want)
			}
			if want := map[int]string{2: "version=2", 0: ""}[tc.want]; postProto.Load() != want {
				t.Errorf("pack request sent Git-Protocol %q, want %q", postProto.Load(), want)
			}
			if st.Bytes != srv.BytesSent() {
				t.Errorf("Stats.Bytes = %d, server sent %d", st.Bytes, srv.BytesSent())
			}
			if st.Bytes*50 > full {
				t.Errorf("fetched %d bytes, more than 2%% of a full clone's %d", st.Bytes, full)
			}
			t.Logf("3 blobs: %d bytes; full clone: %d bytes", st.Bytes, full)
		})
	}
}

func TestFetchErrors(t *testing.T) {
	g := gittest.Generate(t, gittest.Spec{Files: 20, FileSize: 3000, Commits: 2, Changes: 2, Seed: 7})
	srv := gittest.Serve(t, g.Repo)
	good := g.BlobID("HEAD", g.Paths[0])
	// A megabyte of one letter: a tiny pack that inflates past the cap.
	g.Commit("compressible", map[string]string{"zeros.txt": strings.Repeat("a", 1<<20)})
	zeros := g.BlobID("HEAD", "zeros.txt")
	for _, tc := range []struct {
		name  string
		opts  []fetch.Option
		wants []string
		is    error
		says  string
	}{
		{"malformed id", nil, []string{"HEAD"}, fetch.ErrInvalidID, `"HEAD"`},
		{"short id", nil, []string{good[:12]}, fetch.ErrInvalidID, good[:12]},
		{"unknown id", nil, []string{good, strings.Repeat("ab", 20)}, fetch.ErrNotFound, strings.Repeat("ab", 20)},
		{"commit id", nil, []string{g.Head()}, nil, "not a blob"},
		{"byte cap", []fetch.Option{fetch.WithMaxBytes(1000)}, []string{good}, fetch.ErrTooLarge, "1000 bytes"},
		{"byte cap on inflated size", []fetch.Option{fetch.WithMaxBytes(100 << 10)}, []string{zeros}, fetch.ErrTooLarge, "inflate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := fetch.New(srv.URL, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			blobs, _, err := f.Fetch(context.Background(), tc.wants)
			if err == nil || tc.is != nil && !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v; want %v mentioning %q", err, tc.is, tc.says)
			}
			if blobs != nil {
				t.Errorf("partial result returned with error: %d blobs", len(blobs))
			}
		})
	}
}

// TestFetchHeadAndBaseDelta fetches both versions of an edited file from
// a packed repository, where git stores one as a delta of the other, so
// the pack carries a delta the parser must resolve in memory.
func TestFetchHeadAndBaseDelta(t *testing.T) {
	r := gittest.NewRepo(t, "")
	var b strings.Builder
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		fmt.Fprintf(&b, "line %d %016x%016x\n", i, rng.Uint64(), rng.Uint64())
	}
	before := b.String()
	base := r.Commit("add", map[string]string{"big.txt": before})
	after := strings.Replace(before, "line 1000 ", "line one thousand ", 1)
	head := r.Commit("edit", map[string]string{"big.txt": after})
	r.Git("repack", "-adq", "--window=10")
	srv := gittest.Serve(t, r)
	f, err := fetch.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	baseID, headID := r.BlobID(base, "big.txt"), r.BlobID(head, "big.txt")
	blobs, st, err := f.Fetch(context.Background(), []string{headID, baseID})
	if err != nil {
		t.Fatal(err)
	}
	if string(blobs[baseID]) != before || string(blobs[headID]) != after || st.Objects != 2 {
		t.Errorf("got %d objects, base ok %v, head ok %v", st.Objects, string(blobs[baseID]) == before, string(blobs[headID]) == after)
	}
	// Random hex compresses to about half, so two whole objects would
	// take about the file's size; a delta makes the second one tiny.
	if st.Bytes > int64(len(before))*3/4 {
		t.Errorf("fetched %d bytes for two versions of a %d-byte file", st.Bytes, len(before))
	}
	t.Logf("two versions of a %d-byte file: %d bytes", len(before), st.Bytes)
}

func TestFetchNonGitServers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		refused bool
		status  int
	}{
		{"not smart HTTP", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintln(w, "0000000000000000000000000000000000000000 refs/heads/main")
		}, true, 0},
		{"not found", http.NotFound, false, http.StatusNotFound},
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, false, http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			f, err := fetch.New(srv.URL + "/o/r.git")
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = f.Fetch(context.Background(), []string{strings.Repeat("a", 40)})
			var refused *fetch.RefusedError
			var he *fetch.HTTPError
			switch {
			case tc.refused && !errors.As(err, &refused):
				t.Errorf("err = %v, want *RefusedError", err)
			case !tc.refused && (!errors.As(err, &he) || he.StatusCode != tc.status || errors.As(err, &refused)):
				t.Errorf("err = %v, want HTTP %d and not refused", err, tc.status)
			}
		})
	}
}

func TestFetchNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	}))
	defer srv.Close()
	f, err := fetch.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	blobs, st, err := f.Fetch(context.Background(), nil)
	if err != nil || len(blobs) != 0 || st.Requests != 0 {
		t.Errorf("Fetch(nil) = %d blobs, %d requests, %v; want nothing and no request", len(blobs), st.Requests, err)
	}
}
