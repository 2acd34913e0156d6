package gh

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Metrics receives what the middleware observes. The lead backs it with
// Prometheus; labels stay low-cardinality (an endpoint class, never a
// path with owner names or ids). Implementations must be safe for
// concurrent use and must not block.
type Metrics interface {
	// Request is called once per request sent on the wire (each retry
	// counts) with the endpoint class ("pulls", "check-runs", "graphql",
	// "app", …) and the status code, or "network_error".
	Request(endpointClass, status string)
	// RateRemaining reports X-RateLimit-Remaining of a response for the
	// installation (0 for the app itself) and resource ("core", "graphql").
	RateRemaining(installation int64, resource string, remaining int)
}

// BudgetMetrics is an optional extension of Metrics: when the Metrics
// given to WithMetrics implements it, each content-creating request's
// wait for the Budget is reported (0 when it went at once). Requests
// refused by the budget are not reported here; they fail with
// RateLimited.
type BudgetMetrics interface {
	BudgetWait(d time.Duration)
}

// NopMetrics discards everything.
type NopMetrics struct{}

// Request does nothing.
func (NopMetrics) Request(string, string) {}

// RateRemaining does nothing.
func (NopMetrics) RateRemaining(int64, string, int) {}

var _ Metrics = NopMetrics{}

// metricsTransport reports every request that reaches the wire.
type metricsTransport struct {
	next         http.RoundTripper
	m            Metrics
	installation int64
	basePath     string // the API root's path, stripped before classifying
}

func (t *metricsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	class := endpointClass(strings.TrimPrefix(req.URL.Path, strings.TrimSuffix(t.basePath, "/")))
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.m.Request(class, "network_error")
		return resp, err
	}
	t.m.Request(class, strconv.Itoa(resp.StatusCode))
	if v := resp.Header.Get("X-RateLimit-Remaining"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			inst := t.installation
			if class == "app" {
				// Token requests are made with the app JWT: their
				// headers describe the app's budget, not the installation's.
				inst = 0
			}
			res := resp.Header.Get("X-RateLimit-Resource")
			if res == "" {
				res = "core"
			}
			t.m.RateRemaining(inst, res, n)
		}
	}
	return resp, nil
}

// endpointClass reduces an API path to a label: the collection under a
// repository ("/repos/o/r/check-runs/5" → "check-runs"), else the first
// segment ("/app/installations/1/access_tokens" → "app").
func endpointClass(path string) string {
	if path == "/graphql" || path == "/api/graphql" {
		return "graphql"
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) == 0 || segs[0] == "":
		return "root"
	case segs[0] == "repos" && len(segs) >= 4:
		return segs[3]
	case segs[0] == "repos":
		return "repos"
	}
	return segs[0]
}
