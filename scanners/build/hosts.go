package build

import (
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/picketsec/picket/diff"
)

var urlRe = regexp.MustCompile(`(?i)\b(https?|ftp|wss?|git|ssh|git\+https|git\+ssh|git\+http|sftp)://[^\s'"<>()\x60]+`)

// scpRe matches scp-style git remotes (git@host:owner/repo).
var scpRe = regexp.MustCompile(`^[\w.-]+@([\w.-]+\.[a-z]{2,}):[^/]`)

// hostOf returns the lower-case host of a URL, "" when it has none or
// when the host is not literal (a variable or template).
func hostOf(raw string) string {
	if m := scpRe.FindStringSubmatch(raw); m != nil {
		return strings.ToLower(m[1])
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		// url.Parse rejects some templated URLs; take the authority by hand.
		_, rest, ok := strings.Cut(raw, "://")
		if !ok {
			return ""
		}
		rest, _, _ = strings.Cut(rest, "/")
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			rest = rest[i+1:]
		}
		return cleanHost(rest)
	}
	return cleanHost(u.Host)
}

func cleanHost(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.ToLower(strings.Trim(h, "[]."))
	if h == "" || strings.ContainsAny(h, "${}%*") || strings.Contains(h, "picket_e") || !strings.Contains(h, ".") && h != "localhost" {
		return ""
	}
	return h
}

// urls returns the URLs in a string.
func urls(s string) []string {
	if !strings.Contains(s, "://") {
		return nil
	}
	return urlRe.FindAllString(s, -1)
}

// localHost reports hosts that never leave the machine.
func localHost(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".internal") && strings.HasPrefix(h, "host.docker") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified() || ip.IsPrivate() || ip.IsLinkLocalUnicast())
}

// allowed reports whether the repository configuration allows a host.
func (s *Scanner) allowedHost(h string) bool {
	for _, p := range s.allowed {
		if p == h {
			return true
		}
		if suf, ok := strings.CutPrefix(p, "*."); ok && strings.HasSuffix(h, "."+suf) {
			return true
		}
	}
	return false
}

// addHost records that the file contacts host on line via something.
func (a *analysis) addHost(h string, line int, via string) *hostUse {
	if h == "" || localHost(h) {
		return nil
	}
	u, ok := a.hosts[h]
	if !ok {
		u = &hostUse{line: line, via: via}
		a.hosts[h] = u
		a.order = append(a.order, h)
	}
	return u
}

// addURLHosts records the hosts of every URL in s.
func (a *analysis) addURLHosts(s string, line int, via string) {
	for _, u := range urls(s) {
		a.addHost(hostOf(u), line, via)
	}
}

// networkCmds are commands whose URL arguments are contacted.
var networkCmds = map[string]bool{
	"git": true, "pip": true, "pip3": true, "uv": true, "pipx": true, "poetry": true, "npm": true, "yarn": true,
	"pnpm": true, "npx": true, "bun": true, "gem": true, "cargo": true, "helm": true, "svn": true, "hg": true,
	"add-apt-repository": true, "apt-add-repository": true, "ssh": true, "go": true,
}

// commandHosts returns the hosts a command contacts.
func commandHosts(c *command) []string {
	name := strings.ToLower(c.name)
	if !fetchers[name] && !senders[name] && !networkCmds[name] {
		return nil
	}
	var out []string
	for _, arg := range c.args {
		for _, u := range urls(arg) {
			if h := hostOf(u); h != "" {
				out = append(out, h)
			}
		}
		if name == "git" && strings.Contains(arg, "@") {
			if h := hostOf(arg); h != "" && scpRe.MatchString(arg) {
				out = append(out, h)
			}
		}
	}
	switch name {
	case "nc", "ncat", "netcat", "telnet", "dig", "nslookup", "host":
		for _, arg := range c.args {
			if !strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "@") {
				if h := cleanHost(arg); h != "" {
					out = append(out, h)
				}
				break
			}
		}
	}
	return out
}

// markSensitive marks the hosts a command contacts as receiving secrets
// or serving executed code.
func (a *analysis) markSensitive(c *command, why string) {
	for _, h := range commandHosts(c) {
		if u := a.addHost(h, c.line, c.name); u != nil && u.sensitive == "" {
			u.sensitive = why
		}
	}
}

// reportHosts reports every host of the file once, at its first use. The
// engine's base set difference keeps only hosts the change adds. A host is
// new only when the base does not contact it at all, however it used it:
// so the base version reports each host under both host rules, and a host
// used sensitively in base and benignly in head (or the reverse) is not
// new. What the head now does with a known host (run its script, send it
// a token) is reported by the command rules, not as a new host.
func (a *analysis) reportHosts() {
	base := a.in.Side == diff.Base
	for _, h := range a.order {
		if a.s.allowedHost(h) {
			continue
		}
		u := a.hosts[h]
		if base {
			a.add(ruleNewHostSensitive, u.line, h, "The base contacts %s.", h)
			a.add(ruleNewHost, u.line, h, "The base contacts %s.", h)
			continue
		}
		if u.sensitive != "" {
			a.add(ruleNewHostSensitive, u.line, h, "This change makes the build contact %s (via %s), which %s.", h, u.via, u.sensitive)
			continue
		}
		a.add(ruleNewHost, u.line, h, "This change makes the build contact a new host, %s (via %s).", h, u.via)
	}
}
