package githubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// DefaultSecondaryLimit is GitHub's documented ceiling of content-creating
// requests per minute (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
const DefaultSecondaryLimit = 80

// maxRequestBody bounds what the fake reads from one request.
const maxRequestBody = 100 << 20

// Server is a fake GitHub. Create it with New; it is closed by t.Cleanup.
type Server struct {
	t     testing.TB
	srv   *httptest.Server
	spec  *spec
	clock *Clock
	cfg   config

	mu      sync.Mutex
	st      *state
	calls   []Call
	faults  []*faultRule
	limits  map[int64][]int64 // installation id → unix nanos of accepted content-creating requests
	budgets map[int64]*budget // installation id → primary rate-limit window

	whOnce sync.Once
	wh     *Webhooks

	hooks hookState // the app's webhook and its deliveries (deliveries.go)

	vmu        sync.Mutex
	violations []string

	checks *checkQueue // deferred response checks (respcheck.go)
}

// Option configures New.
type Option func(*config)

type config struct {
	specDir        string
	secondaryLimit int
	botLogin       string
	expectViol     bool
}

// WithSpecDir loads the contract files from dir instead of
// $PICKET_GITHUB_SPEC_DIR or <module root>/../shared/github.
func WithSpecDir(dir string) Option { return func(c *config) { c.specDir = dir } }

// WithSecondaryLimit sets how many content-creating requests one
// installation may make per minute before the fake answers 403 with
// Retry-After. The default is DefaultSecondaryLimit; 0 turns the limit
// off (for benchmarks).
func WithSecondaryLimit(n int) Option { return func(c *config) { c.secondaryLimit = n } }

// WithBotLogin sets the login of the user the app acts as (default
// "picket[bot]").
func WithBotLogin(login string) Option { return func(c *config) { c.botLogin = login } }

// ExpectViolations is for tests that provoke contract violations on
// purpose (an invalid body, an off-diff comment): the fake still answers
// as GitHub would but records the violation for Violations instead of
// failing the test.
func ExpectViolations() Option { return func(c *config) { c.expectViol = true } }

// Violations returns the contract violations seen so far.
func (s *Server) Violations() []string {
	s.vmu.Lock()
	defer s.vmu.Unlock()
	return append([]string(nil), s.violations...)
}

// violation records a client's breach of the contract and, unless
// ExpectViolations was given, fails the test.
func (s *Server) violation(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.vmu.Lock()
	s.violations = append(s.violations, msg)
	s.vmu.Unlock()
	if !s.cfg.expectViol {
		s.t.Errorf("githubtest: %s", msg)
	}
}

// New starts a fake GitHub for the test. It fails the test at once if the
// contract files cannot be loaded.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{secondaryLimit: DefaultSecondaryLimit, botLogin: "picket[bot]"}
	for _, o := range opts {
		o(&cfg)
	}
	sp, err := loadSpec(cfg.specDir)
	if err != nil {
		t.Fatalf("githubtest: %v", err)
	}
	s := &Server{t: t, spec: sp, clock: newClock(), cfg: cfg, st: newState(), limits: map[int64][]int64{}, budgets: map[int64]*budget{}, checks: newCheckQueue(checkQuiet)}
	s.srv = httptest.NewServer(s)
	// Close waits for the requests being served, so every response check
	// has been scheduled when Flush starts waiting for them; their
	// failures are reported before the test ends.
	t.Cleanup(func() {
		s.srv.Close()
		s.Flush()
	})
	return s
}

// URL is the fake's base URL without a trailing slash, e.g.
// http://127.0.0.1:PORT. go-github wants BaseURL() instead.
func (s *Server) URL() string { return s.srv.URL }

// BaseURL is URL with a trailing slash, as go-github's WithEnterpriseURLs
// and BaseURL expect.
func (s *Server) BaseURL() string { return s.srv.URL + "/" }

// HTTPClient is a client for the fake with no credentials.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// Clock is the fake's clock: token expiry, rate-limit windows and
// timestamps all read it. It starts at the real time and moves only when
// the test advances it.
func (s *Server) Clock() *Clock { return s.clock }

// exchange is one request being served.
type exchange struct {
	r      *http.Request
	op     string
	tmpl   string // path template of the contract, or /graphql
	params map[string]string
	query  url.Values
	body   []byte
	inst   *Installation // set for installation-token requests
	appID  int64         // set for app-JWT requests
}

// reply is what a handler answers.
type reply struct {
	status int
	body   any // marshalled as JSON; nil for no body
	header http.Header
	// unlisted marks a media type the contract does not describe (raw
	// blobs): the response is served without the schema check.
	unlisted bool
}

// ServeHTTP serves one request: header checks, routing, authentication,
// the request's contract check, permissions, faults, the secondary rate
// limit, the handler, the record, the response, and then (off the
// request path) the response's contract check.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.checks.begin()
	defer s.checks.end()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		s.t.Errorf("githubtest: read request body of %s %s: %v", r.Method, r.URL.Path, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	// GitHub Enterprise Server paths: go-github's WithEnterpriseURLs adds
	// /api/v3/, and GraphQL lives at /api/graphql.
	if p, ok := strings.CutPrefix(r.URL.Path, "/api/v3/"); ok {
		r.URL.Path, r.URL.RawPath = "/"+p, ""
	} else if r.URL.Path == "/api/graphql" {
		r.URL.Path, r.URL.RawPath = "/graphql", ""
	}
	ex := &exchange{r: r, query: r.URL.Query(), body: body}
	var rep reply
	var valIn *validationInput
	if bad, ok := s.checkHeaders(r); !ok {
		rep = bad
	} else if r.URL.Path == "/graphql" && r.Method == http.MethodPost {
		ex.op = "graphql"
		rep = s.serveGraphQL(ex)
	} else {
		rep, valIn = s.serveREST(ex)
	}
	out, err := encodeBody(rep.body)
	if err != nil {
		s.t.Errorf("githubtest: bug in the fake: encode %s response: %v", ex.op, err)
		rep, out = reply{status: http.StatusInternalServerError}, nil
	}
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	if out != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	s.rateHeaders(h, ex)
	if valIn != nil && rep.status != 0 && !rep.unlisted {
		// Checked after the response is written (respcheck.go).
		defer s.scheduleCheck(&responseCheck{
			ctx: context.WithoutCancel(r.Context()), in: valIn, status: rep.status, header: h, body: out,
			op: ex.op, method: r.Method, path: r.URL.Path,
		})()
	}
	s.record(ex, rep.status, out)
	if rep.status == 0 {
		s.t.Errorf("githubtest: bug in the fake: %s answered without a status", ex.op)
		rep.status = http.StatusInternalServerError
	}
	w.WriteHeader(rep.status)
	if out != nil {
		_, _ = w.Write(out) // the client may have gone away; nothing to do
	}
}

// serveREST routes, validates, authenticates and dispatches one REST call.
func (s *Server) serveREST(ex *exchange) (reply, *validationInput) {
	r := ex.r
	in, err := s.spec.route(r, ex.body)
	if err != nil {
		s.violation("unexpected request %s %s: %v", r.Method, r.URL.Path, err)
		return basicError(http.StatusNotFound, "Not Found"), nil
	}
	ex.op, ex.params, ex.tmpl = in.op, in.params, in.in.Route.Path
	// GitHub authenticates before it looks at the body.
	if rep, ok := s.authenticate(ex); !ok {
		return rep, in
	}
	if err := s.spec.validateRequest(r.Context(), in); err != nil {
		s.violation("request %s (%s %s) breaks the contract: %v", ex.op, r.Method, r.URL.Path, err)
		if notJSON(ex.body) {
			return basicError(http.StatusBadRequest, "Problems parsing JSON"), in
		}
		return validationError("Invalid request.\n\n"+err.Error(), nil), in
	}
	if rep, ok := s.permitted(ex, ex.op); !ok {
		return rep, in
	}
	if rep, ok := s.applyFault(ex); ok {
		return rep, in
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rep, ok := s.spend(ex); ok {
		return rep, in
	}
	if rep, ok := s.secondaryLimited(ex); ok {
		return rep, in
	}
	h, ok := restHandlers[ex.op]
	if !ok {
		s.t.Errorf("githubtest: bug in the fake: operation %s is in the contract but has no handler", ex.op)
		return basicError(http.StatusNotImplemented, "not implemented by githubtest"), nil
	}
	return h(s, ex), in
}

// notJSON reports whether a non-empty body is not JSON at all.
func notJSON(body []byte) bool {
	return len(bytes.TrimSpace(body)) > 0 && !json.Valid(body)
}

func encodeBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	}
	return json.Marshal(body)
}

// docURL is the documentation_url the fake puts in error bodies.
const docURL = "https://docs.github.com/rest"

func basicError(status int, msg string) reply {
	return reply{status: status, body: map[string]any{
		"message": msg, "documentation_url": docURL, "status": strconv.Itoa(status),
	}}
}

// fieldError is one item of a validation-error body.
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// validationError is a 422 with the validation-error schema.
func validationError(msg string, errs []fieldError) reply {
	b := map[string]any{"message": msg, "documentation_url": docURL}
	if len(errs) > 0 {
		b["errors"] = errs
	}
	return reply{status: http.StatusUnprocessableEntity, body: b}
}

// validationErrorSimple is a 422 with the validation-error-simple schema.
func validationErrorSimple(msg string, errs ...string) reply {
	b := map[string]any{"message": msg, "documentation_url": docURL}
	if len(errs) > 0 {
		b["errors"] = errs
	}
	return reply{status: http.StatusUnprocessableEntity, body: b}
}

func jsonReply(status int, body any) reply { return reply{status: status, body: body} }

// decode unmarshals the request body into v; the body has already passed
// the contract check, so a failure here is reported as a 400.
func (ex *exchange) decode(v any) (reply, bool) {
	if len(bytes.TrimSpace(ex.body)) == 0 {
		return reply{}, true
	}
	if err := json.Unmarshal(ex.body, v); err != nil {
		return basicError(http.StatusBadRequest, fmt.Sprintf("Problems parsing JSON: %v", err)), false
	}
	return reply{}, true
}

// param returns a path parameter.
func (ex *exchange) param(name string) string { return ex.params[name] }

// intParam returns a numeric path parameter (validated by the contract).
func (ex *exchange) intParam(name string) int64 {
	n, _ := strconv.ParseInt(ex.params[name], 10, 64) // the contract checked it is an integer
	return n
}

// repoName is owner/repo from the path.
func (ex *exchange) repoName() string {
	return strings.ToLower(ex.param("owner") + "/" + ex.param("repo"))
}

// Webhooks returns the webhook payload builder for the same contract
// directory, loading it on first use.
func (s *Server) Webhooks() *Webhooks {
	s.whOnce.Do(func() { s.wh = LoadWebhooks(s.t, s.spec.dir) })
	return s.wh
}

// apiVersion is the REST API version the contract describes. Under
// 2026-03-10 several fields disappear (the x-github-breaking-changes of
// the description); the fake does not model that version.
const apiVersion = "2022-11-28"

// checkHeaders enforces what GitHub requires of every request: a
// User-Agent ("Requests with no User-Agent header will be rejected",
// docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent)
// and, when given, an API version the fake models.
func (s *Server) checkHeaders(r *http.Request) (reply, bool) {
	if r.Header.Get("User-Agent") == "" {
		s.violation("%s %s has no User-Agent", r.Method, r.URL.Path)
		return basicError(http.StatusForbidden, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header"), false
	}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && v != apiVersion {
		s.violation("%s %s asks for API version %s; githubtest models %s only", r.Method, r.URL.Path, v, apiVersion)
		return basicError(http.StatusBadRequest, "API version "+v+" is not supported by githubtest"), false
	}
	return reply{}, true
}
