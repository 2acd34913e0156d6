package server

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
)

type nopPublisher struct{ err error }

func (nopPublisher) Begin(context.Context, publish.Target) (publish.RunID, error) { return 1, nil }
func (p nopPublisher) Publish(context.Context, publish.RunID, publish.Target, *scanners.Report, *diff.ChangeSet, publish.Options) error {
	return p.err
}
func (nopPublisher) Abort(context.Context, publish.RunID, publish.Target, error) error { return nil }

func TestCountingPublisher(t *testing.T) {
	m := metrics.New()
	r := &scanners.Report{Findings: []scanners.Finding{
		{Rule: scanners.Rule{Kind: scanners.KindSecret}, Severity: scanners.High},
		{Rule: scanners.Rule{Kind: scanners.KindSecret}, Severity: scanners.High},
		{Rule: scanners.Rule{Kind: scanners.KindSAST}, Severity: scanners.Low},
	}}
	c := counting{nopPublisher{}, m}
	if err := c.Publish(context.Background(), 1, publish.Target{}, r, nil, publish.Options{}); err != nil {
		t.Fatal(err)
	}
	// A failed publish counts nothing: the retry will.
	failing := counting{nopPublisher{err: context.DeadlineExceeded}, m}
	_ = failing.Publish(context.Background(), 1, publish.Target{}, r, nil, publish.Options{})
	want := `
# HELP picket_findings_total Findings reported by scans, by kind (secret, sast, build…) and severity.
# TYPE picket_findings_total counter
picket_findings_total{kind="sast",severity="` + scanners.Low.String() + `"} 1
picket_findings_total{kind="secret",severity="` + scanners.High.String() + `"} 2
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "picket_findings_total"); err != nil {
		t.Error(err)
	}
}
