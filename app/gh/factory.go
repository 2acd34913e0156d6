package gh

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v62/github"
)

// DefaultBaseURL is the REST API root of github.com.
const DefaultBaseURL = "https://api.github.com/"

// responseHeaderTimeout bounds the wait for a response's headers (not
// its body) on the default transport.
const responseHeaderTimeout = 60 * time.Second

// userAgent identifies Picket to GitHub, which rejects requests without one.
const userAgent = "picket"

// ClientFactory makes go-github clients for the app and its
// installations. Installation tokens are cached per installation for the
// factory's lifetime, refreshed five minutes before they expire and
// re-requested once when GitHub answers 401. It is safe for concurrent
// use; make one per process.
type ClientFactory struct {
	appID  int64
	key    *rsa.PrivateKey
	base   *url.URL
	opts   options
	budget Budget

	mu    sync.Mutex
	insts map[int64]http.RoundTripper // installation id → its middleware stack
	toks  map[int64]*tokenTransport   // installation id → its token cache, inside insts' stack
	app   http.RoundTripper
}

type options struct {
	baseURL   string
	transport http.RoundTripper
	now       func() time.Time
	sleep     Sleeper
	metrics   Metrics
	budget    Budget
	policy    RetryPolicy
	log       *slog.Logger
}

// Option configures New.
type Option func(*options)

// WithBaseURL sets the REST API root: "https://HOST/api/v3/" for GitHub
// Enterprise Server, the fake's URL in tests. Default DefaultBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithTransport sets the transport under the middleware (default a clone
// of http.DefaultTransport).
func WithTransport(rt http.RoundTripper) Option { return func(o *options) { o.transport = rt } }

// WithClock sets the clock that decides token refresh, rate-limit waits
// and the in-memory budget's window (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithSleeper sets how the middleware waits for backoff, rate limits and
// the budget (default a timer that stops when the context is done).
func WithSleeper(s Sleeper) Option { return func(o *options) { o.sleep = s } }

// WithMetrics sets where request counts and rate-limit remaining go.
func WithMetrics(m Metrics) Option { return func(o *options) { o.metrics = m } }

// WithBudget sets the content-creation budget shared by all
// installations' clients (default an in-memory WindowBudget of
// DefaultContentLimit a minute).
func WithBudget(b Budget) Option { return func(o *options) { o.budget = b } }

// WithRetryPolicy bounds retries and waits; zero fields take
// DefaultRetryPolicy's values.
func WithRetryPolicy(p RetryPolicy) Option { return func(o *options) { o.policy = p } }

// WithLogger sets the logger for retries (never tokens nor bodies).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// New makes a factory for the app appID with its PEM private key (PKCS#1
// or PKCS#8, as GitHub issues it).
func New(appID int64, privateKeyPEM []byte, opts ...Option) (*ClientFactory, error) {
	if appID <= 0 {
		return nil, fmt.Errorf("new client factory: app id %d is not positive", appID)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(privateKeyPEM)
	if err != nil {
		// The parser's message does not echo key material.
		return nil, fmt.Errorf("new client factory: parse private key: %w", err)
	}
	o := options{baseURL: DefaultBaseURL, now: time.Now, sleep: sleepCtx, metrics: NopMetrics{}, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	o.policy = o.policy.withDefaults()
	if o.transport == nil {
		// A transport of our own rather than the process-wide default,
		// which other code may reconfigure.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// A GitHub that accepts the connection and then says nothing must
		// not hold a worker until its job's deadline; the timeout is a
		// network error, retried for idempotent requests.
		tr.ResponseHeaderTimeout = responseHeaderTimeout
		o.transport = tr
	}
	if !strings.HasSuffix(o.baseURL, "/") {
		o.baseURL += "/"
	}
	base, err := url.Parse(o.baseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("new client factory: base URL %q is not an absolute URL", o.baseURL)
	}
	f := &ClientFactory{appID: appID, key: key, base: base, opts: o, budget: o.budget, insts: map[int64]http.RoundTripper{}, toks: map[int64]*tokenTransport{}}
	if f.budget == nil {
		f.budget = NewWindowBudget(DefaultContentLimit, time.Minute, o.now)
	}
	return f, nil
}

// apiRoot is the base URL as ghinstallation wants it: no trailing slash.
func (f *ClientFactory) apiRoot() string { return strings.TrimSuffix(f.base.String(), "/") }

// appsTransport signs requests with a fresh app JWT over next.
func (f *ClientFactory) appsTransport(next http.RoundTripper) *ghinstallation.AppsTransport {
	atr := ghinstallation.NewAppsTransportFromPrivateKey(next, f.appID, f.key)
	atr.BaseURL = f.apiRoot()
	return atr
}

func (f *ClientFactory) metered(installation int64) http.RoundTripper {
	return &metricsTransport{next: f.opts.transport, m: f.opts.metrics, installation: installation, basePath: f.base.Path}
}

func (f *ClientFactory) retrying(next http.RoundTripper) http.RoundTripper {
	return &retryTransport{next: next, policy: f.opts.policy, now: f.opts.now, sleep: f.opts.sleep, log: f.opts.log}
}

// App returns a client authenticated as the app itself (a JWT), for the
// /app endpoints: listing installations, finding a repository's.
func (f *ClientFactory) App(ctx context.Context) (*github.Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	if f.app == nil {
		atr := f.appsTransport(f.metered(0))
		// AppsTransport sets headers on the request it is given; a
		// RoundTripper must not modify its caller's request.
		f.app = f.retrying(cloning{atr})
	}
	rt := f.app
	f.mu.Unlock()
	return f.client(rt), nil
}

// Installation returns a client acting as installation id. Clients of
// one installation share its token and budget; each call returns a new
// *github.Client so go-github's own rate-limit memory is not shared
// between jobs. No request is made until the client is used.
func (f *ClientFactory) Installation(ctx context.Context, id int64) (*github.Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if id <= 0 {
		return nil, &Error{Kind: Invalid, Op: "installation client", Err: fmt.Errorf("installation id %d is not positive", id)}
	}
	f.mu.Lock()
	rt := f.stack(id)
	f.mu.Unlock()
	return f.client(rt), nil
}

// InstallationToken returns installation id's token for what is not a
// REST call (the git fetch): the one its clients use, valid for at least
// five more minutes, minted only when there is none. stale, when not
// empty, is a token the caller saw refused (401): it is forgotten first
// unless it was replaced already. The token must never be logged.
func (f *ClientFactory) InstallationToken(ctx context.Context, id int64, stale string) (string, error) {
	if id <= 0 {
		return "", &Error{Kind: Invalid, Op: "installation token", Err: fmt.Errorf("installation id %d is not positive", id)}
	}
	f.mu.Lock()
	f.stack(id)
	tok := f.toks[id]
	f.mu.Unlock()
	if stale != "" {
		tok.drop(stale)
	}
	s, err := tok.token(ctx)
	if err != nil {
		var hte *ghinstallation.HTTPError
		if errors.As(err, &hte) && hte.Response != nil {
			drain(hte.Response)
		}
		c := *Classify(err).(*Error)
		c.Op = "installation token"
		return "", &c
	}
	return s, nil
}

// stack returns installation id's middleware stack, building it on first
// use. f.mu must be held.
func (f *ClientFactory) stack(id int64) http.RoundTripper {
	rt, ok := f.insts[id]
	if !ok {
		metered := f.metered(id)
		tok := &tokenTransport{next: metered, now: f.opts.now, mint: newMinter(f.appsTransport(metered), id)}
		f.toks[id] = tok
		budget := &budgetTransport{next: tok, budget: f.budget, installation: id, maxWait: f.opts.policy.MaxWait, sleep: f.opts.sleep}
		if bm, ok := f.opts.metrics.(BudgetMetrics); ok {
			budget.observe = bm.BudgetWait
		}
		rt = f.retrying(budget)
		f.insts[id] = rt
	}
	return rt
}

func (f *ClientFactory) client(rt http.RoundTripper) *github.Client {
	c := github.NewClient(&http.Client{Transport: rt})
	base := *f.base
	c.BaseURL = &base
	if base.Host != "api.github.com" {
		up := base
		if p, ok := strings.CutSuffix(up.Path, "/api/v3/"); ok {
			up.Path = p + "/api/uploads/"
		}
		c.UploadURL = &up
	}
	c.UserAgent = userAgent
	return c
}

// GraphQLURL is the GraphQL endpoint matching the base URL:
// https://api.github.com/graphql, or https://HOST/api/graphql on GitHub
// Enterprise Server. Post to it with the installation client's Client().
func (f *ClientFactory) GraphQLURL() string {
	u := *f.base
	if p, ok := strings.CutSuffix(u.Path, "/api/v3/"); ok {
		u.Path = p + "/api/graphql"
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	}
	return u.String()
}

// cloning hands its next transport a shallow copy of each request.
type cloning struct{ next http.RoundTripper }

func (c cloning) RoundTrip(r *http.Request) (*http.Response, error) {
	return c.next.RoundTrip(r.Clone(r.Context()))
}
