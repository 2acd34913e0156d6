package fetch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/diff/gittest"
)

func TestTokenSentAsBasicAuth(t *testing.T) {
	g := gittest.Generate(t, gittest.Spec{Files: 5, FileSize: 200, Seed: 9})
	const token = "ghs_installationtoken123"
	srv := gittest.Serve(t, g.Repo, gittest.WithToken(token))
	id := g.BlobID("HEAD", g.Paths[1])
	for _, tc := range []struct {
		name   string
		token  string
		status int // 0: success
	}{
		{"right token", token, 0},
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "ghs_wrongtoken456", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			f, err := fetch.New(srv.URL, fetch.WithToken(tc.token))
			if err != nil {
				t.Fatal(err)
			}
			blobs, _, err := f.Fetch(context.Background(), []string{id})
			if tc.status == 0 {
				if err != nil || len(blobs) != 1 || srv.Denied() != 0 {
					t.Fatalf("Fetch = %d blobs, %v; server denied %d requests", len(blobs), err, srv.Denied())
				}
				return
			}
			var he *fetch.HTTPError
			if !errors.As(err, &he) || he.StatusCode != tc.status {
				t.Fatalf("err = %v, want HTTP %d", err, tc.status)
			}
			if tc.token != "" && strings.Contains(err.Error(), tc.token) {
				t.Errorf("error echoes the token: %v", err)
			}
			if srv.Denied() != 1 || srv.Requests() != 1 {
				t.Errorf("server saw %d requests, denied %d; want the first one denied and no more", srv.Requests(), srv.Denied())
			}
		})
	}
}

func TestCredentialsInURLAreDropped(t *testing.T) {
	g := gittest.Generate(t, gittest.Spec{Files: 2, FileSize: 100, Seed: 2})
	srv := gittest.Serve(t, g.Repo, gittest.WithToken("right"))
	u := strings.Replace(srv.URL, "http://", "http://x-access-token:right@", 1)
	f, err := fetch.New(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.Fetch(context.Background(), []string{g.BlobID("HEAD", g.Paths[0])})
	if err == nil || strings.Contains(err.Error(), "right@") {
		t.Errorf("err = %v; want a 401 that does not echo the URL's credentials", err)
	}
}

func TestContextCancellation(t *testing.T) {
	g := gittest.Generate(t, gittest.Spec{Files: 5, FileSize: 200, Seed: 5})
	id := g.BlobID("HEAD", g.Paths[0])

	t.Run("before the fetch", func(t *testing.T) {
		srv := gittest.Serve(t, g.Repo)
		f, err := fetch.New(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		blobs, _, err := f.Fetch(ctx, []string{id})
		if !errors.Is(err, context.Canceled) || blobs != nil || srv.Requests() != 0 {
			t.Errorf("Fetch = %d blobs, %v after %d requests; want context.Canceled and no request", len(blobs), err, srv.Requests())
		}
	})

	t.Run("during the pack request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The server cancels the client's context when the pack is
		// requested and answers only once the client has gone away.
		stall := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					// Read the body first: the server notices a closed
					// connection only once the request is consumed.
					if _, err := io.Copy(io.Discard, r.Body); err != nil {
						return
					}
					cancel()
					select {
					case <-r.Context().Done():
					case <-time.After(time.Minute): // safety net, not a timing assertion
					}
					return
				}
				next.ServeHTTP(w, r)
			})
		}
		srv := gittest.Serve(t, g.Repo, gittest.WithMiddleware(stall))
		f, err := fetch.New(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		blobs, _, err := f.Fetch(ctx, []string{id})
		if !errors.Is(err, context.Canceled) || blobs != nil {
			t.Errorf("Fetch = %d blobs, %v; want context.Canceled", len(blobs), err)
		}
		if srv.Requests() != 2 {
			t.Errorf("server saw %d requests, want 2", srv.Requests())
		}
	})
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "git@github.com:o/r.git", "file:///tmp/repo", "https://"} {
		if _, err := fetch.New(u); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
}
