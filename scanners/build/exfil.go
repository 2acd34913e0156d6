package build

import (
	"strings"
)

// dataFlags are flags whose value is sent as a request body or upload.
var dataFlags = map[string]bool{
	"-d": true, "--data": true, "--data-binary": true, "--data-raw": true, "--data-urlencode": true, "--json": true,
	"-F": true, "--form": true, "-T": true, "--upload-file": true, "--post-data": true, "--post-file": true,
	"--body-data": true, "--body-file": true, "-Body": true, "-InFile": true, "-body": true,
}

// headerFlags carry credentials for the service being called.
var headerFlags = map[string]bool{"-H": true, "--header": true, "-u": true, "--user": true, "--oauth2-bearer": true, "-Headers": true, "-Credential": true}

// tokenHost reports whether a CI-wide token is being sent to its own service.
func (a *analysis) tokenHost(name, host string) bool {
	if host == "" || a.s.allowedHost(host) {
		return true
	}
	up := strings.ToUpper(name)
	switch {
	case strings.Contains(up, "GITHUB") || strings.Contains(up, "GH_TOKEN") || up == "GITHUB.TOKEN" || strings.HasPrefix(up, "ACTIONS_"):
		return host == "github.com" || strings.HasSuffix(host, ".github.com") || host == "ghcr.io" || strings.HasSuffix(host, ".githubusercontent.com")
	case strings.Contains(up, "NPM") || strings.Contains(up, "NODE_AUTH"):
		return strings.Contains(host, "npm")
	case strings.HasPrefix(up, "AWS_"):
		return strings.HasSuffix(host, ".amazonaws.com")
	case strings.Contains(up, "CI_JOB"):
		return strings.Contains(host, "gitlab")
	}
	return false
}

// genericWords are parts of secret names that say nothing about the
// service the secret belongs to.
var genericWords = map[string]bool{
	"token": true, "secret": true, "secrets": true, "password": true, "passwd": true, "api": true, "key": true,
	"apikey": true, "private": true, "access": true, "auth": true, "credentials": true, "credential": true,
	"client": true, "deploy": true, "prod": true, "dev": true, "ci": true, "the": true, "upload": true,
}

// nameMatchesHost reports whether a secret's name names the host it is
// sent to (CODECOV_TOKEN to codecov.io, SONAR_TOKEN to sonarcloud.io):
// a credential going to its own service is authentication, not a leak.
func nameMatchesHost(name, host string) bool {
	if host == "" {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if len(w) >= 3 && !genericWords[w] && strings.Contains(host, w) {
			return true
		}
	}
	return false
}

// checkExfil reports secrets, the environment or credential files sent to a host.
func (a *analysis) checkExfil(c *command, name string) {
	if !senders[name] {
		return
	}
	hosts := commandHosts(c)
	host := ""
	if len(hosts) > 0 {
		host = hosts[0]
	}
	var leaks []string
	dns := name == "dig" || name == "nslookup" || name == "host"
	pos := "url"
	for i, w := range c.words {
		arg := c.args[i]
		if pos = "url"; i > 0 {
			prev := c.args[i-1]
			switch {
			case dataFlags[prev]:
				pos = "data"
			case headerFlags[prev]:
				pos = "header"
			}
		}
		if k, v, ok := strings.Cut(arg, "="); ok && strings.HasPrefix(k, "--") && dataFlags[k] {
			pos, arg = "data", v
		}
		if name == "nc" || name == "ncat" || name == "netcat" || name == "socat" || name == "telnet" {
			pos = "data"
		}
		for _, p := range params(w) {
			kind, label, tok := secretKind(p), "$"+p, p
			if e, ok := c.sn.expr(p); ok {
				kind, label, tok = exprSecretKind(e), "${{ "+e+" }}", strings.TrimPrefix(e, "secrets.")
			}
			switch {
			case kind == "":
			case dns:
				if dnsLabel(arg) {
					leaks = append(leaks, label)
				}
			case kind == "ci" && !(pos == "header" && a.tokenHost(tok, host)):
				leaks = append(leaks, label)
			case kind == "secret" && pos == "data" && !nameMatchesHost(tok, host):
				leaks = append(leaks, label)
			}
		}
		for _, inner := range substCalls(w) {
			switch n := strings.ToLower(inner[0]); {
			case n == "env" || n == "printenv" || n == "set" || n == "export":
				leaks = append(leaks, "the environment")
			case dns && dnsLabel(arg) && (n == "whoami" || n == "hostname" || n == "cat" || n == "id" || n == "printenv"):
				leaks = append(leaks, "$("+n+")")
			}
		}
		if pos != "header" && sensitiveFileRe.MatchString(arg) && (pos == "data" || strings.HasPrefix(arg, "@")) {
			leaks = append(leaks, sensitiveFileRe.FindString(arg))
		}
	}
	if p := c.prev; p != nil {
		pn := strings.ToLower(p.name)
		switch {
		case pn == "env" || pn == "printenv" || pn == "set":
			leaks = append(leaks, "the environment (piped from "+pn+")")
		case (pn == "cat" || pn == "tar" || pn == "zip" || pn == "base64") && sensitiveFileRe.MatchString(strings.Join(p.args, " ")):
			leaks = append(leaks, sensitiveFileRe.FindString(strings.Join(p.args, " ")))
		case pn == "echo" || pn == "printf":
			for _, w := range p.words {
				for _, v := range params(w) {
					if secretKind(v) != "" {
						leaks = append(leaks, "$"+v)
					} else if e, ok := p.sn.expr(v); ok && exprSecretKind(e) != "" {
						leaks = append(leaks, "${{ "+e+" }}")
					}
				}
			}
		}
	}
	if len(leaks) == 0 {
		return
	}
	where := host
	if where == "" {
		where = "a remote host"
	}
	a.markSensitive(c, "receives "+leaks[0])
	a.add(ruleExfil, c.line, "exfil:"+c.raw, "`%s` sends %s to %s.", c.name, strings.Join(dedupe(leaks), ", "), where)
}

// dnsLabel reports whether an expansion is used as a label of a longer
// name (${X}.collect.example.net): the value then travels in a DNS query.
func dnsLabel(arg string) bool {
	return strings.Contains(arg, ").") || strings.Contains(arg, "}.")
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// checkEcho reports secrets printed to the log.
func (a *analysis) checkEcho(c *command, name string) {
	if c.piped || c.stdout != "" && c.stdout != "/dev/stdout" && c.stdout != "/dev/stderr" {
		return
	}
	switch name {
	case "echo", "printf", "write-output", "write-host", "print":
		if len(c.args) > 0 && strings.HasPrefix(c.args[0], "::add-mask::") {
			return
		}
		for _, w := range c.words {
			if strings.HasPrefix(render(w), "::add-mask::") {
				return
			}
			for _, p := range params(w) {
				label := ""
				if e, ok := c.sn.expr(p); ok {
					if exprSecretKind(e) != "" {
						label = "${{ " + e + " }}"
					}
				} else if secretKind(p) != "" {
					label = "$" + p
				}
				if label != "" {
					a.add(ruleSecretEcho, c.line, "echo:"+c.raw, "`%s` prints %s to the build log.", c.name, label)
					return
				}
			}
		}
	case "cat", "type", "get-content":
		for _, x := range c.args {
			if m := sensitiveFileRe.FindString(x); m != "" && !strings.Contains(x, ".git/config") {
				a.add(ruleSecretEcho, c.line, "echo:"+c.raw, "`%s` prints the credential file %s to the build log.", short(c.raw), m)
				return
			}
		}
	}
}

// checkHookNetwork reports install-time hooks that fetch from the network.
func (a *analysis) checkHookNetwork(c *command, name string) {
	all := strings.Join(c.args, " ")
	net := fetchers[name] || senders[name]
	if !net && (name == "node" || isInterpreter(name)) && (strings.Contains(all, "http://") || strings.Contains(all, "https://") || strings.Contains(all, "require('http") || strings.Contains(all, `require("http`) || strings.Contains(all, "urlopen") || strings.Contains(all, "fetch(")) {
		net = true
	}
	if !net {
		return
	}
	hosts := commandHosts(c)
	if len(hosts) == 0 {
		for _, u := range urls(all) {
			if h := hostOf(u); h != "" {
				hosts = append(hosts, h)
				a.addHost(h, c.line, c.sn.hook)
			}
		}
	}
	where := "the network"
	if len(hosts) > 0 {
		where = strings.Join(hosts, ", ")
	}
	a.add(ruleInstallHook, c.line, "hook:"+c.sn.hook+":"+c.raw, "The %s hook runs `%s`, which contacts %s on every install.", c.sn.hook, short(c.raw), where)
}

// envVar checks an environment variable set by the build.
func (a *analysis) envVar(name, value string, line int) {
	v := strings.ToLower(strings.Trim(strings.TrimSpace(value), `"'`))
	off := v == "" || v == "0" || v == "false" || v == "no" || v == "off"
	m := "env:" + name + "=" + value
	switch strings.ToUpper(name) {
	case "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY":
		if v == "0" {
			a.add(ruleTLS, line, m, "%s=%s disables TLS certificate verification.", name, value)
		}
	case "GIT_SSL_NO_VERIFY":
		if !off {
			a.add(ruleTLS, line, m, "GIT_SSL_NO_VERIFY=%s disables TLS certificate verification for git.", value)
		}
	case "NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL", "CURL_SSL_NO_VERIFY":
		if v == "false" || v == "0" {
			a.add(ruleTLS, line, m, "%s=%s disables TLS certificate verification.", name, value)
		}
	case "PIP_TRUSTED_HOST":
		a.add(ruleTLS, line, m, "PIP_TRUSTED_HOST=%s makes pip skip certificate checks for that host.", value)
	case "GOINSECURE", "GONOSUMDB", "GONOSUMCHECK", "GONOSUMCHECKS":
		if !off || v == "1" {
			a.add(ruleGoChecks, line, m, "%s=%s lets Go fetch modules without checksum database verification.", name, value)
		}
	case "GOSUMDB":
		if v == "off" {
			a.add(ruleGoChecks, line, m, "GOSUMDB=off turns off Go checksum database verification.")
		}
	case "GOFLAGS":
		if strings.Contains(v, "-insecure") {
			a.add(ruleGoChecks, line, m, "GOFLAGS=%s lets Go fetch modules insecurely.", value)
		}
	case "GOPROXY":
		for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '|' }) {
			h := hostOf(p)
			if p == "off" || p == "direct" || h == "" || strings.HasSuffix(h, ".golang.org") || a.s.allowedHost(h) {
				continue
			}
			a.addHost(h, line, "GOPROXY")
			a.add(ruleGoChecks, line, m, "GOPROXY sends module downloads through %s; make sure it is trusted, or add it to build.allowed_hosts.", h)
		}
	case "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX", "NPM_CONFIG_REGISTRY", "YARN_REGISTRY":
		a.indexOverride(line, strings.ToLower(strings.ReplaceAll(name, "_", "-")), strings.Trim(value, `"'`), name)
	case "ACTIONS_ALLOW_UNSECURE_COMMANDS":
		if !off {
			a.add(ruleUnsecureCommands, line, m, "ACTIONS_ALLOW_UNSECURE_COMMANDS=%s re-enables the set-env and add-path workflow commands.", value)
		}
	}
}
