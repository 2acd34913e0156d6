package test

import (
	"testing"

	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
)

// TestChartLint runs Helm's own linter (what `helm lint` runs) with the
// default and the production values: any warning or error fails.
func TestChartLint(t *testing.T) {
	t.Parallel()
	for name, vals := range map[string]map[string]any{"defaults": nil, "production": productionValues(t)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := lint.All(chartDir, vals, namespace, false)
			for _, m := range res.Messages {
				if m.Severity >= support.WarningSev {
					t.Errorf("helm lint: %s", m)
				} else {
					t.Logf("helm lint: %s", m)
				}
			}
		})
	}
}
