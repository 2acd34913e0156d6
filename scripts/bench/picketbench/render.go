package main

import (
	"fmt"
	"strconv"
	"strings"
)

// formats are the kinds of file a secret is planted in, with their names.
var formats = []struct{ name, file string }{
	{"env", ".env"},
	{"yaml", "config.yaml"},
	{"go", "settings_local.go"},
	{"json", "credentials.json"},
}

// doc accumulates a file and remembers the lines the secret occupies.
type doc struct {
	b          strings.Builder
	line       int
	start, end int
}

func (d *doc) add(lines ...string) {
	for _, l := range lines {
		d.b.WriteString(l)
		d.b.WriteByte('\n')
		d.line += strings.Count(l, "\n") + 1
	}
}

// secret writes text (possibly several lines) and extends the secret span.
func (d *doc) secret(text string) {
	first := d.line + 1
	d.add(text)
	if d.start == 0 {
		d.start = first
	}
	d.end = d.line
}

// render writes vars as a realistic file of the given format and returns
// its content and the 1-based inclusive line span of the secret values.
func render(format, pkg string, vars []assignment) (content string, start, end int) {
	var d doc
	switch format {
	case "env":
		renderEnv(&d, vars)
	case "yaml":
		renderYAML(&d, vars)
	case "go":
		renderGo(&d, pkg, vars)
	case "json":
		renderJSON(&d, vars)
	default:
		panic("unknown format " + format)
	}
	return d.b.String(), d.start, d.end
}

func renderEnv(d *doc, vars []assignment) {
	d.add("# Local settings for the billing service.", "# Do not commit real values.",
		"APP_ENV=production", "LOG_LEVEL=info", "PORT=8080", "DATABASE_HOST=db.internal", "")
	for _, v := range vars {
		val := v.value
		if strings.Contains(val, "\n") {
			val = `"` + val + `"`
		}
		d.secret(strings.ToUpper(v.name) + "=" + val)
	}
	d.add("", "FEATURE_FLAGS=checkout,invoices", "CACHE_TTL=300")
}

func renderYAML(d *doc, vars []assignment) {
	d.add("# Service configuration", "service:", "  name: billing", "  replicas: 3",
		"  port: 8080", "logging:", "  level: info", "integrations:")
	for _, v := range vars {
		if strings.Contains(v.value, "\n") {
			d.add("  " + v.name + ": |")
			d.secret("    " + strings.ReplaceAll(v.value, "\n", "\n    "))
			continue
		}
		d.secret("  " + v.name + ": \"" + v.value + "\"")
	}
	d.add("  timeout: 30s", "metrics:", "  enabled: true", "  path: /metrics")
}

func renderGo(d *doc, pkg string, vars []assignment) {
	d.add("package "+pkg, "", "import \"time\"", "",
		"// Settings used by the local deployment of the billing service.", "const (",
		"\tserviceName    = \"billing\"", "\trequestTimeout = 30 * time.Second")
	for _, v := range vars {
		if strings.Contains(v.value, "\n") {
			d.secret("\t" + camel(v.name) + " = `" + v.value + "`")
			continue
		}
		d.secret("\t" + camel(v.name) + " = " + strconv.Quote(v.value))
	}
	d.add(")", "", "var retries = 3")
}

func renderJSON(d *doc, vars []assignment) {
	d.add("{", `  "service": "billing",`, `  "region": "eu-west-1",`, `  "timeout_seconds": 30,`)
	for _, v := range vars {
		// JSON has no multi-line strings: a PEM is escaped onto one line,
		// as in a cloud service-account key file.
		val := v.value
		if strings.Contains(val, "\n") {
			val += "\n"
		}
		d.secret(fmt.Sprintf("  %q: %s,", v.name, jsonString(val)))
	}
	d.add(`  "retries": 3`, "}")
}

// jsonString quotes s as a JSON string (\n escaped, no other surprises:
// the generated values are ASCII).
func jsonString(s string) string {
	return `"` + strings.ReplaceAll(s, "\n", `\n`) + `"`
}
