package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"sync"
	"sync/atomic"
	"testing"
)

// gateway stands between one picket process and the fake GitHub: it
// forwards every call unchanged, so the fake still validates each one,
// and lets a test see which process made a call and hold one call to
// kill its process at a known point of a scan.
type gateway struct {
	name   string
	target string // the fake's URL
	srv    *httptest.Server
	client *http.Client

	calls        atomic.Int64
	checkCreates atomic.Int64 // POST …/check-runs answered 201

	mu   sync.Mutex
	hold *hold
}

// hold catches the first call matching method and a path.Match pattern
// of the request path.
type hold struct {
	method, pattern string
	arrived         chan struct{} // closed when the call is held
	path            string        // the held call's path, set before arrived closes
	release         chan bool     // true: forward the call; false: drop it
}

func newGateway(t testing.TB, name, target string) *gateway {
	g := &gateway{name: name, target: target, client: &http.Client{Transport: &http.Transport{Proxy: nil}}}
	g.srv = httptest.NewServer(g)
	t.Cleanup(g.srv.Close)
	return g
}

// URL is the REST root to give the process as PICKET_GITHUB_URL.
func (g *gateway) URL() string { return g.srv.URL + "/" }

// Hold arms a hold on the next call matching method and pattern (e.g.
// "POST", "/repos/*/*/pulls/*/reviews"). Release it with Release.
func (g *gateway) Hold(method, pattern string) *hold {
	h := &hold{method: method, pattern: pattern, arrived: make(chan struct{}), release: make(chan bool, 1)}
	g.mu.Lock()
	g.hold = h
	g.mu.Unlock()
	return h
}

// Arrived is closed once the call is being held.
func (h *hold) Arrived() <-chan struct{} { return h.arrived }

// Path is the held call's URL path (after Arrived).
func (h *hold) Path() string { return h.path }

// Release lets the held call go on to the fake (forward) or answers it
// with 502 without the fake ever seeing it. A held call whose process was
// killed meanwhile is still forwarded when asked: GitHub had received the
// whole request, only its answer is lost.
func (h *hold) Release(forward bool) { h.release <- forward }

func (g *gateway) take(r *http.Request) *hold {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.hold
	if h == nil || h.method != r.Method {
		return nil
	}
	if ok, _ := path.Match(h.pattern, r.URL.Path); !ok {
		return nil
	}
	g.hold = nil
	return h
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.calls.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "gateway: read request: "+err.Error(), http.StatusBadGateway)
		return
	}
	ctx := r.Context()
	if h := g.take(r); h != nil {
		h.path = r.URL.Path
		close(h.arrived)
		if !<-h.release {
			http.Error(w, "gateway: dropped", http.StatusBadGateway)
			return
		}
		// The process may be dead by now: the call still reaches GitHub.
		ctx = context.WithoutCancel(ctx)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, g.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, "gateway: "+err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	res, err := g.client.Do(req)
	if err != nil {
		http.Error(w, "gateway: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	if r.Method == http.MethodPost && res.StatusCode == http.StatusCreated {
		if ok, _ := path.Match("/repos/*/*/check-runs", r.URL.Path); ok {
			g.checkCreates.Add(1)
		}
	}
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = io.Copy(w, res.Body) // the process may have gone away
}
