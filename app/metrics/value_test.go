package metrics_test

import (
	"testing"

	"github.com/picketsec/picket/app/metrics"
)

func TestValue(t *testing.T) {
	m := metrics.New()
	m.Webhook("pull_request", "accepted")
	m.Webhook("pull_request", "accepted")
	m.Webhook("ping", "ignored")
	for _, tc := range []struct {
		name string
		kv   []string
		want float64
		ok   bool
	}{
		{"picket_webhooks_total", []string{"event", "pull_request", "outcome", "accepted"}, 2, true},
		{"picket_webhooks_total", []string{"outcome", "ignored"}, 1, true},
		{"picket_webhooks_total", []string{"event", "issue_comment"}, 0, false},
		{"picket_no_such_metric", nil, 0, false},
	} {
		if got, ok := m.Value(tc.name, tc.kv...); got != tc.want || ok != tc.ok {
			t.Errorf("Value(%s, %v) = %v, %v; want %v, %v", tc.name, tc.kv, got, ok, tc.want, tc.ok)
		}
	}
}
