package gittest

import (
	"crypto/subtle"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TokenUser is the basic-auth user name GitHub expects with an
// installation token.
const TokenUser = "x-access-token"

// Server serves one Repo over git's smart HTTP protocol with the real
// git-http-backend. Its counters are safe for concurrent use.
type Server struct {
	// URL is the repository's clone URL (ending in "/repo").
	URL string

	srv      *httptest.Server
	bytes    atomic.Int64
	requests atomic.Int64
	denied   atomic.Int64
}

// ServerOption configures Serve.
type ServerOption func(*serverConfig)

type serverConfig struct {
	token   string
	noV2    bool
	config  [][2]string
	handler func(http.Handler) http.Handler
}

// WithToken makes the server require basic auth with user
// x-access-token and this password, as GitHub does for an installation
// token; other requests get 401.
func WithToken(token string) ServerOption {
	return func(c *serverConfig) { c.token = token }
}

// WithoutProtocolV2 drops the Git-Protocol header, so the server speaks
// only protocol v0, like an old server.
func WithoutProtocolV2() ServerOption {
	return func(c *serverConfig) { c.noV2 = true }
}

// WithConfig sets a repository configuration value after GitHub's
// defaults, e.g. ("uploadpack.allowAnySHA1InWant", "false").
func WithConfig(key, value string) ServerOption {
	return func(c *serverConfig) { c.config = append(c.config, [2]string{key, value}) }
}

// WithoutConfig unsets a repository configuration value after GitHub's
// defaults. Note that uploadpack.allowAnySHA1InWant=false also clears
// allowReachableSHA1InWant when read after it, so a reachable-only server
// needs WithoutConfig("uploadpack.allowAnySHA1InWant").
func WithoutConfig(key string) ServerOption {
	return func(c *serverConfig) { c.config = append(c.config, [2]string{key, unset}) }
}

// unset marks a configuration key to remove.
const unset = "\x00unset"

// WithMiddleware wraps the git handler (inside the counting layer), e.g.
// to inject faults or delays.
func WithMiddleware(mw func(http.Handler) http.Handler) ServerOption {
	return func(c *serverConfig) { c.handler = mw }
}

// githubConfig is what GitHub's upload-pack allows: wants by id of any
// reachable object, and partial-clone filters.
var githubConfig = [][2]string{
	{"uploadpack.allowReachableSHA1InWant", "true"},
	{"uploadpack.allowAnySHA1InWant", "true"},
	{"uploadpack.allowFilter", "true"},
	{"http.receivepack", "false"},
}

// Serve starts a server for repo, closed when the test ends.
func Serve(tb testing.TB, repo *Repo, opts ...ServerOption) *Server {
	tb.Helper()
	var cfg serverConfig
	for _, o := range opts {
		o(&cfg)
	}
	for _, kv := range append(append([][2]string{}, githubConfig...), cfg.config...) {
		if kv[1] == unset {
			repo.Git("config", "--unset-all", kv[0])
			continue
		}
		repo.SetConfig(kv[0], kv[1])
	}
	backend := filepath.Join(repo.Git("--exec-path"), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		tb.Fatalf("gittest: git-http-backend not found: %v", err)
	}
	root := filepath.Dir(repo.Dir)
	s := &Server{}
	var h http.Handler = &gitHandler{
		backend: backend,
		env: []string{
			"GIT_PROJECT_ROOT=" + root,
			"GIT_HTTP_EXPORT_ALL=1",
			"HOME=" + repo.home,
			"GIT_CONFIG_NOSYSTEM=1",
			"GIT_CONFIG_GLOBAL=" + os.DevNull,
			"PATH=" + os.Getenv("PATH"),
		},
		noV2: cfg.noV2,
	}
	if cfg.handler != nil {
		h = cfg.handler(h)
	}
	if cfg.token != "" {
		h = s.requireToken(cfg.token, h)
	}
	s.srv = httptest.NewServer(s.count(h))
	tb.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + "/" + filepath.Base(repo.Dir)
	return s
}

// gitHandler runs git-http-backend for each request, forwarding the
// Git-Protocol header as GIT_PROTOCOL (protocol v2) unless disabled.
type gitHandler struct {
	backend string
	env     []string
	noV2    bool
}

func (g *gitHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	env := g.env
	if g.noV2 {
		r.Header.Del("Git-Protocol")
	} else if p := r.Header.Get("Git-Protocol"); p != "" {
		env = append(append([]string{}, env...), "GIT_PROTOCOL="+p)
	}
	// git's own messages ("fatal: not our ref …") reach the client as
	// ERR lines; keep them out of the test output.
	h := &cgi.Handler{Path: g.backend, Env: env, Stderr: io.Discard}
	h.ServeHTTP(w, r)
}

func (s *Server) requireToken(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != TokenUser || subtle.ConstantTimeCompare([]byte(pass), []byte(token)) != 1 {
			s.denied.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="gittest"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		next.ServeHTTP(&countingWriter{ResponseWriter: w, n: &s.bytes}, r)
	})
}

// BytesSent is the total size of the response bodies sent so far.
func (s *Server) BytesSent() int64 { return s.bytes.Load() }

// Requests is the number of requests answered so far.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Denied is the number of requests refused for missing or wrong
// credentials.
func (s *Server) Denied() int64 { return s.denied.Load() }

// Reset zeroes the counters.
func (s *Server) Reset() {
	s.bytes.Store(0)
	s.requests.Store(0)
	s.denied.Store(0)
}

// CloneBytes clones the repository with the git binary into a temporary
// directory through this server and returns the bytes the server sent.
// Extra arguments go to git clone (e.g. "--depth", "1"). The counters
// are reset before the clone.
func (s *Server) CloneBytes(tb testing.TB, args ...string) int64 {
	tb.Helper()
	dir := tb.TempDir()
	s.Reset()
	cmd := exec.Command("git", append(append([]string{"clone", "-q", "--no-checkout"}, args...), s.URL, filepath.Join(dir, "clone"))...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_TERMINAL_PROMPT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("gittest: git clone %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return s.BytesSent()
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// Flush lets the CGI handler stream the pack as git writes it.
func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
