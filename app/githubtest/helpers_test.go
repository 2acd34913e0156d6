package githubtest

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
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
	key     *rsa.PrivateKey
	keyPEM  []byte
)

// testKey is one app key shared by the tests (read-only), since
// generating a 2048-bit key per test dominates the package's run time.
func testKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	keyOnce.Do(func() { key, keyPEM = GenerateAppKey(t) })
	return key, keyPEM
}

// env is a fake with one app, installation and repository, and real
// go-github clients authenticated through ghinstallation.
type env struct {
	s     *Server
	key   *rsa.PrivateKey
	pem   []byte
	itr   *ghinstallation.Transport
	gh    *github.Client // installation client
	appGH *github.Client // app-JWT client
}

func setup(t *testing.T, opts ...Option) *env {
	t.Helper()
	s := New(t, opts...)
	key, pemBytes := testKey(t)
	s.AddApp(testAppID, &key.PublicKey)
	s.AddInstallation(Installation{ID: testInstID, AppID: testAppID, Account: testOwner})
	s.AddRepo(Repo{Owner: testOwner, Name: testName, InstallationID: testInstID})
	base := s.HTTPClient().Transport
	itr, err := ghinstallation.New(base, testAppID, testInstID, pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	itr.BaseURL = s.URL()
	atr, err := ghinstallation.NewAppsTransport(base, testAppID, pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	atr.BaseURL = s.URL()
	return &env{s: s, key: key, pem: pemBytes, itr: itr, gh: client(t, s, itr), appGH: client(t, s, atr)}
}

// setupClient is a new installation client with its own ghinstallation
// transport (and so its own token cache).
func setupClient(t *testing.T, e *env) *github.Client {
	t.Helper()
	itr, err := ghinstallation.New(e.s.HTTPClient().Transport, testAppID, testInstID, e.pem)
	if err != nil {
		t.Fatal(err)
	}
	itr.BaseURL = e.s.URL()
	return client(t, e.s, itr)
}

func client(t *testing.T, s *Server, rt http.RoundTripper) *github.Client {
	t.Helper()
	c := github.NewClient(&http.Client{Transport: rt})
	u, err := url.Parse(s.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = u
	return c
}

// tokenClient is a go-github client with a fixed installation token.
func tokenClient(t *testing.T, s *Server, tok string) *github.Client {
	t.Helper()
	return client(t, s, &bearer{tok: tok, base: s.HTTPClient().Transport})
}

type bearer struct {
	tok  string
	base http.RoundTripper
}

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "token "+b.tok)
	return b.base.RoundTrip(r)
}

// patchFor is a patch whose new side has lines 10..10+n-1, all added,
// after three context lines 7..9.
func patchFor(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "@@ -7,3 +7,%d @@ func f() {\n", 3+n)
	b.WriteString(" a\n b\n c\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "+added %d\n", i)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// addPR adds pull request 1 with the given files.
func (e *env) addPR(files ...File) {
	e.s.AddPullRequest(testRepo, PR{Number: 1, Title: "Add f", HeadSHA: headSHA, BaseSHA: baseSHA, Files: files})
}
