package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/diff/gittest"
)

// smallRepo is a repository of a few files; blob returns the id and
// content of its i-th file at HEAD.
type smallRepo struct{ *gittest.Generated }

func newSmallRepo(t testing.TB, seed uint64) smallRepo {
	return smallRepo{gittest.Generate(t, gittest.Spec{Files: 8, FileSize: 300, Seed: seed})}
}

func (r smallRepo) blob(i int) (id, content string) {
	p := r.Paths[i%len(r.Paths)]
	return r.BlobID("HEAD", p), r.Git("show", "HEAD:"+p) + "\n"
}

// fetchBlob fetches the i-th blob of r from remote with a new Fetcher, as
// the pipeline does once per scan, and checks its content.
func fetchBlob(t testing.TB, r smallRepo, remote string, i int, opts ...fetch.Option) (fetch.Stats, error) {
	t.Helper()
	f, err := fetch.New(remote, opts...)
	if err != nil {
		t.Fatal(err)
	}
	id, content := r.blob(i)
	blobs, st, err := f.Fetch(context.Background(), []string{id})
	if err == nil && string(blobs[id]) != content {
		t.Errorf("blob %s: got %d bytes, want %d", id, len(blobs[id]), len(content))
	}
	return st, err
}

func TestAdvertCacheReusesV2Advertisement(t *testing.T) {
	r := newSmallRepo(t, 1)
	for _, tc := range []struct {
		name        string
		opts        []gittest.ServerOption
		second      int  // requests of the second fetch
		cachedAfter bool // an entry remains
	}{
		{"v2", nil, 1, true},
		{"v0 is never cached", []gittest.ServerOption{gittest.WithoutProtocolV2()}, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := gittest.Serve(t, r.Repo, tc.opts...)
			c := fetch.NewAdvertCache()
			st, err := fetchBlob(t, r, srv.URL, 0, fetch.WithAdvertCache(c))
			if err != nil || st.Requests != 2 || st.AdvertCached {
				t.Fatalf("first fetch: %d requests, cached %v, %v; want 2 requests, not cached", st.Requests, st.AdvertCached, err)
			}
			srv.Reset()
			st, err = fetchBlob(t, r, srv.URL, 1, fetch.WithAdvertCache(c))
			if err != nil {
				t.Fatal(err)
			}
			if st.Requests != tc.second || srv.Requests() != int64(tc.second) || st.AdvertCached != (tc.second == 1) {
				t.Errorf("second fetch: %d requests (server saw %d), cached %v; want %d", st.Requests, srv.Requests(), st.AdvertCached, tc.second)
			}
			if st.Bytes != srv.BytesSent() || st.Objects != 1 {
				t.Errorf("Stats.Bytes = %d, server sent %d; %d objects", st.Bytes, srv.BytesSent(), st.Objects)
			}
			if got := c.Len() == 1; got != tc.cachedAfter {
				t.Errorf("cache holds %d remotes; want an entry: %v", c.Len(), tc.cachedAfter)
			}
		})
	}
}

func TestAdvertCacheKeys(t *testing.T) {
	r := newSmallRepo(t, 2)

	t.Run("remotes do not share", func(t *testing.T) {
		a, b := gittest.Serve(t, r.Repo), gittest.Serve(t, r.Repo)
		c := fetch.NewAdvertCache()
		for i, want := range []struct {
			srv  *gittest.Server
			reqs int
		}{{a, 2}, {b, 2}, {a, 1}, {b, 1}} {
			if st, err := fetchBlob(t, r, want.srv.URL, i, fetch.WithAdvertCache(c)); err != nil || st.Requests != want.reqs {
				t.Errorf("fetch %d: %d requests, %v; want %d", i, st.Requests, err, want.reqs)
			}
		}
	})

	t.Run("tokens are not part of the key and each request carries its own", func(t *testing.T) {
		var mu sync.Mutex
		var seen []string // passwords of the POSTs
		record := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if req.Method == http.MethodPost {
					_, pass, _ := req.BasicAuth()
					mu.Lock()
					seen = append(seen, pass)
					mu.Unlock()
				}
				next.ServeHTTP(w, req)
			})
		}
		srv := gittest.Serve(t, r.Repo, gittest.WithMiddleware(record))
		c := fetch.NewAdvertCache()
		withCreds := strings.Replace(srv.URL, "http://", "http://x-access-token:ghs_inurl@", 1)
		steps := []struct {
			remote, token string
			reqs          int
		}{
			{withCreds, "ghs_first", 2},
			{srv.URL, "ghs_second", 1},
			{withCreds, "ghs_third", 1},
		}
		for i, s := range steps {
			if st, err := fetchBlob(t, r, s.remote, i, fetch.WithAdvertCache(c), fetch.WithToken(s.token)); err != nil || st.Requests != s.reqs {
				t.Errorf("fetch %d: %d requests, %v; want %d", i, st.Requests, err, s.reqs)
			}
		}
		if want := []string{"ghs_first", "ghs_second", "ghs_third"}; strings.Join(seen, ",") != strings.Join(want, ",") {
			t.Errorf("POSTs carried tokens %q, want %q", seen, want)
		}
		if c.Len() != 1 {
			t.Errorf("cache holds %d remotes, want 1", c.Len())
		}
	})

	t.Run("a denied token neither uses another's access nor drops the entry", func(t *testing.T) {
		srv := gittest.Serve(t, r.Repo, gittest.WithToken("ghs_right"))
		c := fetch.NewAdvertCache()
		if st, err := fetchBlob(t, r, srv.URL, 0, fetch.WithAdvertCache(c), fetch.WithToken("ghs_right")); err != nil || st.Requests != 2 {
			t.Fatalf("first fetch: %d requests, %v", st.Requests, err)
		}
		srv.Reset()
		st, err := fetchBlob(t, r, srv.URL, 1, fetch.WithAdvertCache(c), fetch.WithToken("ghs_wrong"))
		var he *fetch.HTTPError
		if !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized || st.Requests != 1 || srv.Denied() != 1 {
			t.Errorf("wrong token: %v after %d requests (%d denied); want HTTP 401 after 1", err, st.Requests, srv.Denied())
		}
		if err != nil && strings.Contains(err.Error(), "ghs_wrong") {
			t.Errorf("error echoes the token: %v", err)
		}
		if st, err := fetchBlob(t, r, srv.URL, 2, fetch.WithAdvertCache(c), fetch.WithToken("ghs_right")); err != nil || st.Requests != 1 {
			t.Errorf("after the 401: %d requests, %v; want the entry kept (1 request)", st.Requests, err)
		}
	})
}

func TestAdvertCacheExpiryAndBound(t *testing.T) {
	r := newSmallRepo(t, 3)
	a, b := gittest.Serve(t, r.Repo), gittest.Serve(t, r.Repo)

	t.Run("ttl", func(t *testing.T) {
		var now atomic.Int64 // seconds past an epoch
		clock := func() time.Time { return time.Unix(1_000_000+now.Load(), 0) }
		c := fetch.NewAdvertCache(fetch.CacheTTL(time.Minute), fetch.CacheClock(clock))
		for i, s := range []struct {
			at   int64
			reqs int
		}{{0, 2}, {59, 1}, {60, 2}, {61, 1}, {200, 2}} {
			now.Store(s.at)
			if st, err := fetchBlob(t, r, a.URL, i, fetch.WithAdvertCache(c)); err != nil || st.Requests != s.reqs {
				t.Errorf("fetch at +%ds: %d requests, %v; want %d", s.at, st.Requests, err, s.reqs)
			}
		}
	})

	t.Run("least recently used evicted", func(t *testing.T) {
		c := fetch.NewAdvertCache(fetch.CacheMaxRemotes(1))
		for i, s := range []struct {
			srv  *gittest.Server
			reqs int
		}{{a, 2}, {a, 1}, {b, 2}, {a, 2}, {a, 1}} {
			if st, err := fetchBlob(t, r, s.srv.URL, i, fetch.WithAdvertCache(c)); err != nil || st.Requests != s.reqs {
				t.Errorf("fetch %d: %d requests, %v; want %d", i, st.Requests, err, s.reqs)
			}
			if c.Len() != 1 {
				t.Errorf("cache holds %d remotes, bound is 1", c.Len())
			}
		}
	})
}

// TestAdvertCacheStaleAfterServerChange puts a reverse proxy at a fixed
// URL in front of a protocol v2 git server, then switches it to a v0-only
// server of the same repository, as if the host had been reconfigured.
// The remembered v2 advertisement makes a v2 request the v0 server cannot
// read; the fetch must forget it and succeed with one GET and one POST.
func TestAdvertCacheStaleAfterServerChange(t *testing.T) {
	r := newSmallRepo(t, 4)
	v2, v0 := gittest.Serve(t, r.Repo), gittest.Serve(t, r.Repo, gittest.WithoutProtocolV2())
	var backend atomic.Pointer[url.URL]
	front := gittest.Serve(t, r.Repo, gittest.WithMiddleware(func(http.Handler) http.Handler {
		return &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(backend.Load()) }}
	}))
	root := func(s *gittest.Server) *url.URL {
		u, err := url.Parse(strings.TrimSuffix(s.URL, "/repo"))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	backend.Store(root(v2))
	c := fetch.NewAdvertCache()
	if st, err := fetchBlob(t, r, front.URL, 0, fetch.WithAdvertCache(c)); err != nil || st.Protocol != 2 || c.Len() != 1 {
		t.Fatalf("through the v2 server: protocol %d, %d cached, %v", st.Protocol, c.Len(), err)
	}

	backend.Store(root(v0))
	st, err := fetchBlob(t, r, front.URL, 1, fetch.WithAdvertCache(c))
	if err != nil {
		t.Fatalf("after the switch: %v", err)
	}
	// The stale POST, the GET, the POST.
	if st.Requests != 3 || v0.Requests() != 3 || st.Protocol != 0 || st.AdvertCached {
		t.Errorf("after the switch: %d requests (v0 server saw %d), protocol %d, cached %v; want 3, protocol 0, not cached",
			st.Requests, v0.Requests(), st.Protocol, st.AdvertCached)
	}
	if c.Len() != 0 {
		t.Errorf("cache holds %d remotes; the v0 advertisement must not be kept", c.Len())
	}
	v0.Reset()
	if st, err := fetchBlob(t, r, front.URL, 2, fetch.WithAdvertCache(c)); err != nil || st.Requests != 2 || v0.Requests() != 2 {
		t.Errorf("next fetch: %d requests, %v; want a plain GET and POST", st.Requests, err)
	}
}

// TestAdvertCacheRetryPolicy answers the pack POST of a fetch that uses a
// remembered advertisement with a fault, and checks which faults lead to
// one fresh GET and POST and which are returned as they are.
func TestAdvertCacheRetryPolicy(t *testing.T) {
	r := newSmallRepo(t, 5)
	errLine := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		msg := "ERR unknown object format 'sha1'\n"
		fmt.Fprintf(w, "%04x%s0000", len(msg)+4, msg)
	}
	status := func(code int) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { http.Error(w, http.StatusText(code), code) }
	}
	for _, tc := range []struct {
		name   string
		fault  func(http.ResponseWriter)
		times  int64 // POSTs answered with the fault
		reqs   int   // requests of the faulted fetch
		status int   // its *HTTPError status; 0: success
		kept   bool  // an entry remains afterwards
	}{
		{"400 once: refreshed", status(http.StatusBadRequest), 1, 3, 0, true},
		{"415 once: refreshed", status(http.StatusUnsupportedMediaType), 1, 3, 0, true},
		{"ERR line once: refreshed", errLine, 1, 3, 0, true},
		{"400 always: one retry only", status(http.StatusBadRequest), 99, 3, http.StatusBadRequest, false},
		{"401: returned, entry kept", status(http.StatusUnauthorized), 1, 1, http.StatusUnauthorized, true},
		{"403: returned, entry kept", status(http.StatusForbidden), 1, 1, http.StatusForbidden, true},
		{"404: returned, entry kept", status(http.StatusNotFound), 1, 1, http.StatusNotFound, true},
		{"413: returned", status(http.StatusRequestEntityTooLarge), 1, 1, http.StatusRequestEntityTooLarge, true},
		{"429: returned", status(http.StatusTooManyRequests), 1, 1, http.StatusTooManyRequests, true},
		{"500: returned", status(http.StatusInternalServerError), 1, 1, http.StatusInternalServerError, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var armed atomic.Bool
			var left atomic.Int64
			inject := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
					if req.Method == http.MethodPost && armed.Load() && left.Add(-1) >= 0 {
						tc.fault(w)
						return
					}
					next.ServeHTTP(w, req)
				})
			}
			srv := gittest.Serve(t, r.Repo, gittest.WithMiddleware(inject))
			c := fetch.NewAdvertCache()
			if _, err := fetchBlob(t, r, srv.URL, 0, fetch.WithAdvertCache(c)); err != nil {
				t.Fatal(err)
			}
			srv.Reset()
			left.Store(tc.times)
			armed.Store(true)
			st, err := fetchBlob(t, r, srv.URL, 1, fetch.WithAdvertCache(c))
			var he *fetch.HTTPError
			switch {
			case tc.status == 0 && err != nil:
				t.Errorf("err = %v, want success", err)
			case tc.status != 0 && (!errors.As(err, &he) || he.StatusCode != tc.status):
				t.Errorf("err = %v, want HTTP %d", err, tc.status)
			}
			if st.Requests != tc.reqs || srv.Requests() != int64(tc.reqs) {
				t.Errorf("%d requests (server saw %d), want %d", st.Requests, srv.Requests(), tc.reqs)
			}
			if got := c.Len() == 1; got != tc.kept {
				t.Errorf("cache holds %d remotes; want an entry: %v", c.Len(), tc.kept)
			}
		})
	}
}

func TestAdvertCacheNoRetryOnCapOrCancel(t *testing.T) {
	r := newSmallRepo(t, 6)
	big := r.Commit("big", map[string]string{"big.txt": strings.Repeat("0123456789abcdef", 4096)})
	bigID := r.BlobID(big, "big.txt")
	var stall atomic.Pointer[context.CancelFunc]
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if cancel := stall.Load(); cancel != nil && req.Method == http.MethodPost {
				// Read the body first: the server notices a closed
				// connection only once the request is consumed.
				if _, err := io.Copy(io.Discard, req.Body); err != nil {
					return
				}
				(*cancel)()
				select { // answer only once the client has gone
				case <-req.Context().Done():
				case <-time.After(time.Minute): // safety net, not a timing assertion
				}
				return
			}
			next.ServeHTTP(w, req)
		})
	}
	srv := gittest.Serve(t, r.Repo, gittest.WithMiddleware(mw))
	c := fetch.NewAdvertCache()
	if _, err := fetchBlob(t, r, srv.URL, 0, fetch.WithAdvertCache(c)); err != nil {
		t.Fatal(err)
	}

	t.Run("byte cap", func(t *testing.T) {
		srv.Reset()
		f, err := fetch.New(srv.URL, fetch.WithAdvertCache(c), fetch.WithMaxBytes(2000))
		if err != nil {
			t.Fatal(err)
		}
		_, st, err := f.Fetch(context.Background(), []string{bigID})
		if !errors.Is(err, fetch.ErrTooLarge) || st.Requests != 1 || srv.Requests() != 1 || c.Len() != 1 {
			t.Errorf("Fetch = %v after %d requests (server saw %d), %d cached; want ErrTooLarge after 1, entry kept", err, st.Requests, srv.Requests(), c.Len())
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		srv.Reset()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stall.Store(&cancel)
		defer stall.Store(nil)
		f, err := fetch.New(srv.URL, fetch.WithAdvertCache(c))
		if err != nil {
			t.Fatal(err)
		}
		blobs, st, err := f.Fetch(ctx, []string{bigID})
		if !errors.Is(err, context.Canceled) || blobs != nil || st.Requests != 1 || c.Len() != 1 {
			t.Errorf("Fetch = %d blobs, %v after %d requests, %d cached; want context.Canceled after 1, entry kept", len(blobs), err, st.Requests, c.Len())
		}
	})
}

// TestAdvertCacheConcurrent fetches from two remotes in many goroutines
// through one cache; run with -race.
func TestAdvertCacheConcurrent(t *testing.T) {
	r := newSmallRepo(t, 7)
	srvs := []*gittest.Server{gittest.Serve(t, r.Repo), gittest.Serve(t, r.Repo)}
	c := fetch.NewAdvertCache(fetch.CacheMaxRemotes(2))
	const workers, each = 8, 3
	var wg sync.WaitGroup
	var requests, hits atomic.Int64
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				st, err := fetchBlob(t, r, srvs[(w+i)%2].URL, w*each+i, fetch.WithAdvertCache(c))
				if err != nil {
					t.Errorf("worker %d fetch %d: %v", w, i, err)
					return
				}
				if st.Requests != map[bool]int{true: 1, false: 2}[st.AdvertCached] {
					t.Errorf("worker %d fetch %d: %d requests, cached %v", w, i, st.Requests, st.AdvertCached)
				}
				requests.Add(int64(st.Requests))
				if st.AdvertCached {
					hits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if served := srvs[0].Requests() + srvs[1].Requests(); served != requests.Load() {
		t.Errorf("servers saw %d requests, fetches counted %d", served, requests.Load())
	}
	if hits.Load() == 0 || c.Len() != 2 {
		t.Errorf("%d of %d fetches hit the cache, %d remotes cached; want hits and both remotes", hits.Load(), workers*each, c.Len())
	}
	for i, s := range srvs {
		if st, err := fetchBlob(t, r, s.URL, i, fetch.WithAdvertCache(c)); err != nil || st.Requests != 1 {
			t.Errorf("remote %d afterwards: %d requests, %v; want 1", i, st.Requests, err)
		}
	}
}
