package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/diff/gittest"
)

// repoGetter is a BlobGetter reading a test repository with the git
// binary; it records its calls and the most calls in flight at once.
type repoGetter struct {
	repo     *gittest.Repo
	mu       sync.Mutex
	calls    int
	inFlight int
	maxConc  int
}

func (g *repoGetter) GetBlob(ctx context.Context, id string) ([]byte, error) {
	g.mu.Lock()
	g.calls++
	g.inFlight++
	g.maxConc = max(g.maxConc, g.inFlight)
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
	time.Sleep(time.Millisecond) // let calls overlap so the bound is exercised
	out, err := gitCatFile(g.repo, id)
	if err != nil {
		return nil, fetch.ErrNotFound
	}
	return out, nil
}

func gitCatFile(r *gittest.Repo, id string) ([]byte, error) {
	out, err := r.TryGit("cat-file", "blob", id)
	if err != nil {
		return nil, err
	}
	return []byte(out + "\n"), nil
}

func TestRefusedFallsBack(t *testing.T) {
	g := gittest.Generate(t, gittest.Spec{Files: 30, FileSize: 1000, Commits: 3, Changes: 5, Seed: 3})
	var ids []string
	for _, p := range g.Paths[:12] {
		ids = append(ids, g.BlobID("HEAD", p))
	}
	missing := strings.Repeat("0123456789", 4)

	noSHA1Wants := []gittest.ServerOption{gittest.WithoutProtocolV2(),
		gittest.WithConfig("uploadpack.allowAnySHA1InWant", "false"),
		gittest.WithConfig("uploadpack.allowReachableSHA1InWant", "false")}
	reachableOnly := []gittest.ServerOption{gittest.WithoutProtocolV2(),
		gittest.WithoutConfig("uploadpack.allowAnySHA1InWant")}
	for _, tc := range []struct {
		name    string
		opts    []gittest.ServerOption
		wants   []string
		refused string // part of the RefusedError's reason, "" if not refused
		loadErr error  // Load's error, after the fallback
	}{
		{"v0 without sha1 wants", noSHA1Wants, ids, "without allow-reachable-sha1-in-want", nil},
		// Under v0 "not our ref" may mean "not reachable", so the fallback
		// decides; here it does not have the object either.
		{"v0 unknown id", reachableOnly, append([]string{missing}, ids[:2]...), "not our ref " + missing, fetch.ErrNotFound},
		{"v0 reachable only", reachableOnly, ids, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := gittest.Serve(t, g.Repo, tc.opts...)
			f, err := fetch.New(srv.URL, fetch.WithConcurrency(3))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = f.Fetch(context.Background(), tc.wants)
			var refused *fetch.RefusedError
			if got := errors.As(err, &refused); got != (tc.refused != "") {
				t.Fatalf("Fetch err = %v; want refused: %v", err, tc.refused != "")
			}
			if refused != nil && !strings.Contains(refused.Reason, tc.refused) {
				t.Errorf("reason %q does not mention %q", refused.Reason, tc.refused)
			}

			getter := &repoGetter{repo: g.Repo}
			blobs, st, err := f.Load(context.Background(), tc.wants, getter)
			if tc.loadErr != nil {
				if !errors.Is(err, tc.loadErr) || !st.Fallback || blobs != nil {
					t.Fatalf("Load = %d blobs, fallback %v, err %v; want no blobs, fallback, %v", len(blobs), st.Fallback, err, tc.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(blobs) != len(tc.wants) {
				t.Errorf("Load returned %d blobs, want %d", len(blobs), len(tc.wants))
			}
			for id, b := range blobs {
				if got := plumbing.ComputeHash(plumbing.BlobObject, b).String(); got != id {
					t.Errorf("blob %s has content of %s", id, got)
				}
			}
			if st.Fallback != (tc.refused != "") {
				t.Errorf("Stats.Fallback = %v, want %v", st.Fallback, tc.refused != "")
			}
			if tc.refused == "" && getter.calls != 0 {
				t.Errorf("fallback called %d times though git served the blobs", getter.calls)
			}
			if tc.refused != "" && (getter.calls != len(tc.wants) || getter.maxConc > 3) {
				t.Errorf("fallback: %d calls, %d at once; want %d calls, at most 3 at once", getter.calls, getter.maxConc, len(tc.wants))
			}
		})
	}
}

func TestGetBlobsErrors(t *testing.T) {
	hello := []byte("hello\n")
	helloID := plumbing.ComputeHash(plumbing.BlobObject, hello).String()
	other := strings.Repeat("1", 40)
	getter := getterFunc(func(_ context.Context, id string) ([]byte, error) {
		switch id {
		case helloID:
			return hello, nil
		case other:
			return []byte("not what the id says"), nil
		}
		return nil, fetch.ErrNotFound
	})
	for _, tc := range []struct {
		name  string
		wants []string
		max   int64
		is    error
		says  string
	}{
		{"not found", []string{helloID, strings.Repeat("2", 40)}, 0, fetch.ErrNotFound, strings.Repeat("2", 40)},
		{"content does not match id", []string{other}, 0, nil, "hashes to"},
		{"byte cap", []string{helloID}, 3, fetch.ErrTooLarge, "3 bytes"},
		{"malformed id", []string{"zz"}, 0, fetch.ErrInvalidID, "zz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blobs, err := fetch.GetBlobs(context.Background(), getter, tc.wants, 2, tc.max)
			if err == nil || tc.is != nil && !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v; want %v mentioning %q", err, tc.is, tc.says)
			}
			if blobs != nil {
				t.Errorf("partial result with error")
			}
		})
	}
}

type getterFunc func(ctx context.Context, id string) ([]byte, error)

func (f getterFunc) GetBlob(ctx context.Context, id string) ([]byte, error) { return f(ctx, id) }

func TestRESTGetter(t *testing.T) {
	content := []byte("package main\n")
	id := plumbing.ComputeHash(plumbing.BlobObject, content).String()
	var hits atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Accept") != "application/vnd.github.raw+json" {
			http.Error(w, "bad headers", http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/repos/octo/hello/git/blobs/"+id {
			http.NotFound(w, r)
			return
		}
		w.Write(content)
	}))
	defer api.Close()
	g := &fetch.RESTGetter{BaseURL: api.URL + "/", Owner: "octo", Repo: "hello", Token: "tok"}
	got, err := g.GetBlob(context.Background(), id)
	if err != nil || string(got) != string(content) {
		t.Fatalf("GetBlob = %q, %v; want %q", got, err, content)
	}
	if _, err := g.GetBlob(context.Background(), strings.Repeat("0", 40)); !errors.Is(err, fetch.ErrNotFound) {
		t.Errorf("missing blob: err = %v, want ErrNotFound", err)
	}
	g.Token = "wrong"
	var he *fetch.HTTPError
	if _, err := g.GetBlob(context.Background(), id); !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong token: err = %v, want HTTP 401 without the token", err)
	}
	if hits.Load() != 3 {
		t.Errorf("API saw %d requests, want 3", hits.Load())
	}
}
