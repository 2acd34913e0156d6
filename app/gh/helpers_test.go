package gh

import (
	"context"
	"crypto/rsa"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
)

const (
	testAppID  = 42
	testInstID = 7
	testOwner  = "octo-org"
	testName   = "hello"
	testRepo   = testOwner + "/" + testName
	headSHA    = "1111111111111111111111111111111111111111"
	baseSHA    = "2222222222222222222222222222222222222222"
)

var (
	keyOnce sync.Once
	keyPEM  []byte
	key     *rsa.PrivateKey
)

// testKey is one app key for all tests: generating a 2048-bit key per
// test would dominate the package's run time.
func testKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	keyOnce.Do(func() { key, keyPEM = githubtest.GenerateAppKey(t) })
	return key, keyPEM
}

// sleeps records the middleware's waits and moves the fake's clock by
// them, so waiting "a minute" takes no real time.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
	clock *githubtest.Clock
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	s.clock.Advance(d)
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// fakeMetrics records what the middleware reports.
type fakeMetrics struct {
	mu        sync.Mutex
	requests  []string // "class status"
	remaining map[int64]int
}

func (m *fakeMetrics) Request(class, status string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, class+" "+status)
}

func (m *fakeMetrics) RateRemaining(inst int64, _ string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.remaining == nil {
		m.remaining = map[int64]int{}
	}
	m.remaining[inst] = n
}

type env struct {
	s       *githubtest.Server
	f       *ClientFactory
	sleeps  *sleeps
	metrics *fakeMetrics
}

// setup is a fake GitHub with one app, installation, repository and pull
// request, and a factory pointed at it that reads the fake's clock and
// sleeps by advancing it. fopts come after the defaults and override them.
func setup(t *testing.T, sopts []githubtest.Option, fopts ...Option) *env {
	t.Helper()
	s := githubtest.New(t, sopts...)
	k, pemBytes := testKey(t)
	s.AddApp(testAppID, &k.PublicKey)
	s.AddInstallation(githubtest.Installation{ID: testInstID, AppID: testAppID, Account: testOwner})
	s.AddRepo(githubtest.Repo{Owner: testOwner, Name: testName, InstallationID: testInstID})
	s.AddPullRequest(testRepo, githubtest.PR{Number: 1, HeadSHA: headSHA, BaseSHA: baseSHA})
	e := &env{s: s, sleeps: &sleeps{clock: s.Clock()}, metrics: &fakeMetrics{}}
	opts := append([]Option{
		WithBaseURL(s.BaseURL()), WithTransport(s.HTTPClient().Transport),
		WithClock(s.Clock().Now), WithSleeper(e.sleeps.sleep), WithMetrics(e.metrics),
	}, fopts...)
	f, err := New(testAppID, pemBytes, opts...)
	if err != nil {
		t.Fatal(err)
	}
	e.f = f
	return e
}
