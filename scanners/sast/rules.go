package sast

import (
	"sort"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// allRules lists every rule, sorted by id. A new rule is a new
// rule_<class>.go file and one entry here.
func allRules() []*rule {
	rs := []*rule{
		sqlInjection, commandInjection, codeInjection, pathTraversal, ssrf, xss, unsafeDeserialization, xxe,
		insecureTLS, weakCrypto, insecureRandom, jwtUnverified, corsCredentials, debugServer, worldWritable,
		predictableTempFile, openRedirect,
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].meta.ID < rs[j].meta.ID })
	return rs
}

// meta builds rule metadata; owasp is the OWASP Top 10 (2021) category.
func meta(name string, sev scanners.Severity, title, why, fix, cwe, owasp, example string) scanners.Rule {
	num := strings.TrimPrefix(cwe, "CWE-")
	return scanners.Rule{
		ID: "sast/" + name, Kind: scanners.KindSAST, Severity: sev, Title: title, Why: why, Fix: fix,
		CWE:     []string{cwe},
		Refs:    []string{"OWASP " + owasp, "https://cwe.mitre.org/data/definitions/" + num + ".html"},
		Example: example,
	}
}
