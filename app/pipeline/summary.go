package pipeline

import (
	"github.com/picketsec/picket/diff/fetch"
	"github.com/picketsec/picket/templates"
)

// templatesOptions is what the summary shows beyond the report. The
// bytes fetched are logged; templates.SummaryOptions has no field for them
// yet (the report's Bytes are the bytes scanned).
func templatesOptions(configChanged bool, configErrs []string, _ fetch.Stats) templates.SummaryOptions {
	return templates.SummaryOptions{ConfigChanged: configChanged, ConfigErrors: configErrs}
}
