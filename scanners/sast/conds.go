package sast

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// shellNames are programs that run their -c argument as a shell script.
var shellNames = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "ksh": true, "dash": true, "/bin/sh": true, "/bin/bash": true,
	"/usr/bin/env": true, "cmd": true, "cmd.exe": true, "powershell": true, "pwsh": true,
}

// commandTainted reports whether a command given as an argument list runs
// user input: a shell with -c and a tainted script, or a tainted program.
// It sets m.src to the input found.
func (m *match) commandTainted(args []*node) bool {
	if len(args) == 1 && args[0] != nil && args[0].k == kObject {
		args = args[0].kids
	} else if len(args) == 1 && args[0] != nil && args[0].k == kCall && (base(args[0].text) == "asList" || base(args[0].text) == "of") {
		args = args[0].kids
	}
	if len(args) == 0 {
		return false
	}
	if s, ok := args[0].constString(); ok {
		if !shellNames[s] || len(args) < 3 {
			return false
		}
		for _, a := range args[2:] {
			if t := m.taintOf(a); t != nil {
				m.src = t
				return true
			}
		}
		return false
	}
	if t := m.taintOf(args[0]); t != nil {
		m.src = t
		return true
	}
	return false
}

// htmlish reports whether the tainted value was built with markup.
func (m *match) htmlish() bool {
	return m.src != nil && strings.Contains(m.src.frag, "<")
}

var sqlWords = regexp.MustCompile(`(?i)\b(select|insert|update|delete|where|from|order by|values|set|drop|create|join|limit)\b`)

// sqlish reports whether the tainted value is the whole argument or was
// built with SQL keywords: a generic method such as execute() or query()
// fed an arbitrary string is not necessarily SQL.
func (m *match) sqlish() bool {
	return m.src != nil && (m.src.via == "" || m.src.via == "string building" || sqlWords.MatchString(m.src.frag))
}

var fixedHost = regexp.MustCompile(`^(?i)[a-z][a-z0-9+.-]*://[^/?#%{}$]+[/?#]`)

// fixedDestination reports whether a URL's host (or, for redirects, its
// local path) is fixed by a constant prefix.
func (m *match) fixedDestination(localOK bool) bool {
	if m.src == nil {
		return false
	}
	l := m.src.lead
	if fixedHost.MatchString(l) {
		return true
	}
	return localOK && strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//") && !strings.HasPrefix(l, "/\\")
}

// securityWords name values that must be unpredictable or hashed with a
// strong function.
var securityWords = regexp.MustCompile(`(?i)(token|secret|passw|pwd|nonce|salt|otp|session|csrf|api_?key|apikey|reset|credential|(^|[^a-z])sign)`)

// securityContext reports whether the value is for a secret.
func (m *match) securityContext() bool { return securityWords.MatchString(m.context()) }

// rootName returns the variable at the root of a receiver chain.
func rootName(n *node) string {
	for n != nil {
		switch n.k {
		case kName:
			return n.text
		case kCall:
			n = n.recv
		default:
			n = n.kid(0)
		}
	}
	return ""
}

// fnHasCall reports whether the enclosing function calls one of names
// (last segment), optionally with a first argument that is true.
func (m *match) fnHasCall(wantTrue bool, names ...string) bool {
	return m.fnHasCallOn("", wantTrue, names...)
}

// fnHasCallOn is fnHasCall restricted to calls on the receiver variable
// recv (any receiver when empty).
func (m *match) fnHasCallOn(recv string, wantTrue bool, names ...string) bool {
	found := false
	var walk func(*node)
	walk = func(n *node) {
		if n == nil || found {
			return
		}
		if n.k == kCall {
			for _, name := range names {
				if base(n.text) == name && (!wantTrue || n.kid(0).isTrue()) && (recv == "" || rootName(n.recv) == recv) {
					found = true
				}
			}
		}
		walk(n.recv)
		for _, k := range n.kids {
			walk(k)
		}
		for _, k := range n.kw {
			walk(k)
		}
	}
	walk(m.a.curFn)
	return found
}

// srcContains reports whether the file's text contains s.
func (m *match) srcContains(s string) bool { return strings.Contains(string(m.a.f.src), s) }

// mode parses a file mode literal: 0777, 0o777, 0x1ff, 511 or, for a
// string (JavaScript), "777".
func mode(n *node) (int64, bool) {
	s, ok := n.constString()
	if !ok || s == "" {
		return 0, false
	}
	s = strings.ReplaceAll(s, "_", "")
	if s[0] >= '1' && s[0] <= '7' && len(s) == 3 && strings.Trim(s, "01234567") == "" && n.hi-n.lo == len(s)+2 { // quoted "777"
		v, err := strconv.ParseInt(s, 8, 64)
		return v, err == nil
	}
	v, err := strconv.ParseInt(s, 0, 64)
	return v, err == nil
}

// worldWritableMode reports whether arg is a mode literal granting write
// to others.
func worldWritableMode(n *node) bool {
	v, ok := mode(n)
	return ok && v&0o002 != 0
}

// modeFix rewrites a mode literal without group and other write bits.
func (m *match) modeFix(n *node) *scanners.Fix {
	v, ok := mode(n)
	if !ok || n.rng.StartLine != m.n.rng.StartLine {
		return nil
	}
	old := m.text(n)
	nv := v &^ 0o022
	repl := ""
	switch {
	case strings.HasPrefix(old, "0o"):
		repl = "0o" + strconv.FormatInt(nv, 8)
	case strings.HasPrefix(old, "0") && len(old) > 1 && old[1] >= '0' && old[1] <= '7':
		repl = "0" + strconv.FormatInt(nv, 8)
	default:
		return nil
	}
	return m.replaceFix("drop the group and world write bits", old, repl)
}

// tmpPath reports whether a path expression names a fixed file in a
// shared temporary directory.
func (m *match) tmpPath(n *node) bool {
	if n == nil {
		return false
	}
	l := m.a.leadOf(n)
	for _, d := range []string{"/tmp/", "/var/tmp/", "/dev/shm/"} {
		if strings.HasPrefix(l, d) && len(l) > len(d) {
			return true
		}
	}
	// filepath.Join(os.TempDir(), "name"), path.join(os.tmpdir(), "x")
	if n.k == kCall && len(n.kids) >= 2 && isTempDirCall(n.kids[0]) {
		s, ok := n.kids[1].constString()
		return ok && s != ""
	}
	if (n.k == kConcat || n.k == kFormat) && isTempDirCall(n.kid(0)) {
		s, ok := n.kid(1).constString()
		return ok && len(s) > 1
	}
	return false
}

func isTempDirCall(n *node) bool {
	if n == nil || n.k != kCall {
		return false
	}
	switch base(n.text) {
	case "TempDir", "gettempdir", "tmpdir":
		return true
	case "getProperty":
		s, _ := n.kid(0).constString()
		return s == "java.io.tmpdir"
	}
	return false
}
