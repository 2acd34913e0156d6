package build

import (
	"regexp"
	"strings"
)

// shellFile analyses a shell script.
func (a *analysis) shellFile() {
	a.shell(&snippet{src: a.text(), line: at(1)})
}

var (
	psFetchRe  = regexp.MustCompile(`(?i)\b(iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|downloadfile|new-object\s+net\.webclient|start-bitstransfer)\b`)
	psExecRe   = regexp.MustCompile(`(?i)(\biex\b|invoke-expression|\|\s*&\s*\(|scriptblock\]::create)`)
	psTLSRe    = regexp.MustCompile(`(?i)(-SkipCertificateCheck\b|ServerCertificateValidationCallback\s*=\s*\{\s*\$true\s*\})`)
	psSecretRe = regexp.MustCompile(`(?i)\$env:([A-Z0-9_]+)`)
	psBodyRe   = regexp.MustCompile(`(?i)-(Body|InFile)\b`)
	psEnvDump  = regexp.MustCompile(`(?i)(Get-ChildItem|gci|ls|dir)\s+env:`)
	psEnvSet   = regexp.MustCompile(`(?i)^\s*\$env:(\w+)\s*=\s*["']?([^"'\s]*)`)
)

// powershell reads a PowerShell script line by line: its syntax is not
// shell's, so it gets a small set of line rules.
func (a *analysis) powershell() {
	for i, l := range a.lines {
		n := i + 1
		code := l
		if j := strings.Index(code, "#"); j >= 0 && !strings.Contains(code[:j], `"`) && !strings.Contains(code[:j], `'`) {
			code = code[:j]
		}
		if strings.TrimSpace(code) == "" {
			continue
		}
		fetch := psFetchRe.MatchString(code)
		if fetch {
			a.addURLHosts(code, n, "PowerShell download")
		}
		norm := strings.ToLower(strings.Join(strings.Fields(code), " "))
		if fetch && psExecRe.MatchString(code) {
			for _, u := range urls(code) {
				if h := a.addHost(hostOf(u), n, "PowerShell download"); h != nil {
					h.sensitive = "serves code that the build executes"
				}
			}
			a.add(ruleCurlPipe, n, "ps:"+norm, "`%s` downloads a script and executes it without verification.", short(code))
		}
		if psTLSRe.MatchString(code) {
			a.add(ruleTLS, n, "ps-tls:"+norm, "`%s` disables TLS certificate verification.", short(code))
		}
		if fetch && (psBodyRe.MatchString(code) || strings.Contains(strings.ToLower(code), "uploadstring")) {
			for _, m := range psSecretRe.FindAllStringSubmatch(code, -1) {
				if secretKind(m[1]) != "" {
					a.add(ruleExfil, n, "ps-exfil:"+norm, "`%s` sends $env:%s to %s.", psFetchRe.FindString(code), m[1], strings.Join(hostsIn(code), ", "))
					break
				}
			}
			if m := sensitiveFileRe.FindString(code); m != "" {
				a.add(ruleExfil, n, "ps-exfil:"+norm, "The script uploads %s to %s.", m, strings.Join(hostsIn(code), ", "))
			}
			if psEnvDump.MatchString(code) {
				a.add(ruleExfil, n, "ps-exfil:"+norm, "The script sends the environment to %s.", strings.Join(hostsIn(code), ", "))
			}
		}
		if m := psEnvSet.FindStringSubmatch(code); m != nil {
			a.envVar(m[1], m[2], n)
		}
	}
}

func hostsIn(s string) []string {
	var out []string
	for _, u := range urls(s) {
		if h := hostOf(u); h != "" {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		out = []string{"a remote host"}
	}
	return out
}
