package secrets

import "strings"

// Name suffixes (after the keyword, separators removed) that still name
// the secret itself: api_key_value, password, passwd, client_secret_str…
var (
	secretSuffixes   = map[string]bool{"": true, "key": true, "value": true, "val": true, "str": true, "string": true, "token": true, "s": true, "b64": true, "base64": true, "hex": true, "raw": true}
	passwordSuffixes = map[string]bool{"": true, "ord": true, "d": true, "word": true, "ordvalue": true, "ordstr": true, "wd": true}
)

// nameStopWords in a name mark values that are not credentials.
var nameStopWords = []string{"public", "publishable", "pub_", "page", "next", "cursor", "continuation", "csrf", "xsrf", "_max", "_min", "maximum", "minimum", "cache", "primary", "foreign", "sort", "partition", "idempot", "lookup", "dedup",
	"count", "length", "expir", "ttl", "timeout", "header", "field", "param", "prefix", "format", "type", "policy", "rotation",
	"regex", "pattern", "placeholder", "example", "sample", "hash", "digest", "file", "path", "url", "uri", "name", "label",
	"description", "endpoint", "validat", "tokeniz", "_id", "-id", "policy", "scope", "usage", "reset", "forgot", "confirm", "hint", "strength"}

// findAssignment is the generic detector: a keyword inside a name that is
// assigned a literal (name = "v", name: v, NAME=v, <name>v</name>), where
// the value passes the reference, placeholder, class and entropy checks.
// In code only string literals count; in configuration bare values do too.
func findAssignment(password bool) finder {
	return func(c *scanCtx, hs, he int) ([]span, int) {
		if c.testFile {
			return nil, len(c.data) // fixtures and test vectors: provider formats only
		}
		ls, le := c.lineBounds(hs)
		d := c.data
		ns, ne := hs, he
		// Names are short; the bounds keep a megabyte-long run of name
		// characters (minified or generated files) linear.
		for ns > ls && hs-ns < 64 && isIdentChar(d[ns-1]) {
			ns--
		}
		for ne < le && ne-he < 64 && isIdentChar(d[ne]) {
			ne++
		}
		// The cheap test first: most keyword hits in code are not followed
		// by an assignment of a literal.
		vs, ve, ok := assignedValue(c, ns, ne, le)
		if !ok || ve-vs < 8 {
			return nil, ne
		}
		name := strings.ToLower(string(d[ns:ne]))
		var suffix []byte
		for i := he - ns; i < len(name); i++ {
			if ch := name[i]; ch != '_' && ch != '-' && ch != '.' {
				suffix = append(suffix, ch)
			}
		}
		if password && !passwordSuffixes[string(suffix)] || !password && !secretSuffixes[string(suffix)] {
			return nil, ne
		}
		for _, w := range nameStopWords {
			if strings.Contains(name, w) {
				return nil, ne
			}
		}
		if !genericValueOK(string(d[vs:ve]), password) {
			return nil, ne
		}
		return []span{{vs, ve, string(d[vs:ve])}}, ve
	}
}

// maxValue bounds a literal's length: longer values are data, not
// credentials, and the bound keeps per-hit work constant.
const maxValue = 512

// assignedValue finds the literal assigned to the name at [ns, ne) on a
// line ending at le.
func assignedValue(c *scanCtx, ns, ne, le int) (int, int, bool) {
	d := c.data
	p := ne
	skip := func() {
		for p < le && (d[p] == ' ' || d[p] == '\t') {
			p++
		}
	}
	if p < le && (d[p] == '"' || d[p] == '\'' || d[p] == '`') {
		p++
	}
	skip()
	xml := ns > 0 && d[ns-1] == '<'
	switch {
	case xml && p < le && d[p] == '>':
		p++
		e := p
		for e < le && e-p < maxValue && d[e] != '<' {
			e++
		}
		return p, e, e < le && d[e] == '<' && e > p
	case p+1 < le && (d[p] == ':' && d[p+1] == '=' || d[p] == '=' && d[p+1] == '>' || d[p] == '?' && d[p+1] == '='):
		p += 2
	case p < le && d[p] == '=' && (p+1 >= le || d[p+1] != '='):
		p++
	case p < le && d[p] == ':' && (p+1 >= le || d[p+1] != ':'):
		p++
	default:
		return 0, 0, false
	}
	skip()
	if p >= le {
		return 0, 0, false
	}
	if q := d[p]; q == '"' || q == '\'' || q == '`' {
		e := p + 1
		for e < le && e-p < maxValue && d[e] != q {
			if d[e] == '\\' {
				e++
			}
			e++
		}
		if e >= le || d[e] != q {
			return 0, 0, false
		}
		return p + 1, e, e > p+1
	}
	if !c.bare {
		return 0, 0, false
	}
	e := p
	for e < le && e-p < maxValue && !strings.ContainsRune(" \t\"'`,;}])\r", rune(d[e])) {
		e++
	}
	return p, e, e > p && e-p < maxValue
}

// findURLPassword finds scheme://user:password@host and reports the
// password, unless it is a reference, a placeholder or a local default.
func findURLPassword(c *scanCtx, hs, he int) ([]span, int) {
	d := c.data
	s := hs
	for s > 0 && hs-s < 32 && (isAlnum(d[s-1]) || d[s-1] == '+' || d[s-1] == '.' || d[s-1] == '-') {
		s--
	}
	if hs-s < 2 {
		return nil, he
	}
	e := he
	for e < len(d) && e-he < 512 && !strings.ContainsRune("/?#\n \t\"'`<>()[]{},\\", rune(d[e])) {
		e++
	}
	auth := d[he:e]
	at := strings.LastIndexByte(string(auth), '@')
	if at < 0 || at == len(auth)-1 {
		return nil, e
	}
	user, pass, ok := strings.Cut(string(auth[:at]), ":")
	if !ok || len(pass) < 3 || !isAlnum(auth[at+1]) {
		return nil, e
	}
	if isReference(pass) || isPlaceholder(pass) || isDefaultPassword(pass, user) || strings.Trim(pass, "*xX•") == "" {
		return nil, e
	}
	ps := he + len(user) + 1
	return []span{{ps, ps + len(pass), pass}}, e
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
