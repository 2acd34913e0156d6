package gh

import (
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

// tokenTransport authenticates one installation's requests. Its token
// lives in a ghinstallation.Transport; the transport is replaced (and so
// the token dropped) when our clock says the token is near expiry, and
// when GitHub answers 401, after which the request is sent once more.
type tokenTransport struct {
	newInner func() *ghinstallation.Transport
	now      func() time.Time

	mu    sync.Mutex
	inner *ghinstallation.Transport
}

func (t *tokenTransport) current() *ghinstallation.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inner == nil {
		t.inner = t.newInner()
	} else if exp, _, err := t.inner.Expiry(); err == nil && !t.now().Before(exp.Add(-refreshMargin)) {
		t.inner = t.newInner()
	}
	return t.inner
}

// drop forgets the token of used unless another request replaced it
// already, so a burst of 401s leads to a single new token.
func (t *tokenTransport) drop(used *ghinstallation.Transport) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inner == used {
		t.inner = t.newInner()
	}
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Keep a replayable copy before the first send consumes the body.
	again, canRetry := rewind(req)
	inner := t.current()
	resp, err := inner.RoundTrip(req)
	if err != nil {
		return nil, tokenError(err, req)
	}
	if resp.StatusCode != http.StatusUnauthorized || !canRetry {
		if canRetry {
			closeBody(again)
		}
		return resp, nil
	}
	// GitHub revoked or expired the token before we expected: drop it
	// and ask for a new one, once.
	drain(resp)
	t.drop(inner)
	resp, err = t.current().RoundTrip(again)
	if err != nil {
		return nil, tokenError(err, req)
	}
	return resp, nil
}

// tokenError classifies a failure to get a token (the request was not
// sent) or to send the request. The ghinstallation error text names the
// installation and URL, never the token.
func tokenError(err error, req *http.Request) error {
	var hte *ghinstallation.HTTPError
	if errors.As(err, &hte) {
		if hte.Response != nil && hte.Response.Body != nil {
			drain(hte.Response)
		}
		c := Classify(err).(*Error)
		c.Op = opName(req)
		return c
	}
	return err
}
