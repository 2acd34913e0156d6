package integration

import (
	"crypto/tls"
	"net/http"
)

// Only for the local httptest server in tests.
func testClient(insecure bool) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: insecure}}}
}
