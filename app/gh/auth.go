package gh

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// refreshMargin is how long before its expiry a token is replaced, so a
// request never sets off with a token that dies in flight. GitHub's
// tokens live an hour (docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
const refreshMargin = 5 * time.Minute

// tokenTransport authenticates one installation's requests with a cached
// installation token. The token is replaced when the factory's clock says
// it is near expiry, and dropped when GitHub answers 401, after which the
// request is sent once more with a new one.
//
// Tokens are minted by ghinstallation (app JWT, access_tokens call), one
// fresh ghinstallation.Transport per token: its own cache trusts
// time.Now, cannot forget a revoked token and reads its expiry without
// a lock, so the cache here is ours.
type tokenTransport struct {
	next http.RoundTripper
	mint func(ctx context.Context) (string, time.Time, error)
	now  func() time.Time

	mu  sync.Mutex // held while minting, so a burst shares one new token
	tok string
	exp time.Time
}

// newMinter mints tokens for installation id through atr.
func newMinter(atr *ghinstallation.AppsTransport, id int64) func(context.Context) (string, time.Time, error) {
	return func(ctx context.Context) (string, time.Time, error) {
		itr := ghinstallation.NewFromAppsTransport(atr, id)
		tok, err := itr.Token(ctx)
		if err != nil {
			return "", time.Time{}, err
		}
		exp, _, err := itr.Expiry()
		return tok, exp, err
	}
}

// token returns a token valid for at least refreshMargin, minting one
// if needed.
func (t *tokenTransport) token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok != "" && t.now().Before(t.exp.Add(-refreshMargin)) {
		return t.tok, nil
	}
	tok, exp, err := t.mint(ctx)
	if err != nil {
		return "", err
	}
	t.tok, t.exp = tok, exp
	return tok, nil
}

// drop forgets used unless another request replaced it already, so a
// burst of 401s leads to a single new token.
func (t *tokenTransport) drop(used string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok == used {
		t.tok = ""
	}
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Keep a replayable copy before the first send consumes the body.
	again, canRetry := rewind(req)
	resp, used, err := t.send(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !canRetry {
		if canRetry {
			closeBody(again)
		}
		return resp, err
	}
	// GitHub revoked or expired the token before we expected: drop it
	// and ask for a new one, once.
	drain(resp)
	t.drop(used)
	resp, _, err = t.send(again)
	return resp, err
}

// send sends req with the current token and reports which token it used.
func (t *tokenTransport) send(req *http.Request) (*http.Response, string, error) {
	tok, err := t.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, "", tokenError(err, req)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "token "+tok)
	resp, err := t.next.RoundTrip(r)
	return resp, tok, err
}

// tokenError classifies a failure to mint a token; the request was not
// sent. ghinstallation's messages name the installation and URL, never
// the token.
func tokenError(err error, req *http.Request) error {
	var hte *ghinstallation.HTTPError
	if errors.As(err, &hte) && hte.Response != nil {
		drain(hte.Response)
	}
	c := *Classify(err).(*Error)
	c.Op = opName(req) + " (installation token)"
	return &c
}
