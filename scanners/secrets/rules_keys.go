package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// keyRules: private keys, signed tokens and Kubernetes secrets.
var keyRules = []def{
	{
		name: "private-key", title: "Private key (PEM)", provider: "wherever the key is trusted (re-issue the certificate or key pair)", sev: scanners.Critical,
		keywords: []string{"-----BEGIN "}, prio: prioSpecific, find: findPEM("RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
		why: "A private key lets anyone impersonate the server, user or signer it belongs to and decrypt what was encrypted to it.",
		fix: "Generate a new key pair, replace the certificate or authorised public key everywhere the old one is trusted, then delete the old key and purge it from history (git filter-repo). Keep keys in a secret store or mount them at run time.",
	},
	{
		name: "openssh-private-key", title: "OpenSSH private key", provider: "every server whose authorized_keys holds the public key", sev: scanners.Critical,
		keywords: []string{"-----BEGIN "}, prio: prioSpecific, find: findPEM("OPENSSH PRIVATE KEY"),
		why: "An SSH private key logs in wherever its public key is authorised: servers, deploy keys, CI.",
		fix: "Remove the public key from every authorized_keys, deploy-key and CI setting, generate a new key pair, and purge the old key from history. Use an SSH agent or the CI's secret store instead of a file in the repository.",
	},
	{
		name: "pgp-private-key", title: "PGP private key block", provider: "your keyservers and correspondents (revoke the key)", sev: scanners.Critical,
		keywords: []string{"-----BEGIN "}, prio: prioSpecific, find: findPEM("PGP PRIVATE KEY BLOCK"),
		why: "A PGP private key signs as you (releases, commits, packages) and decrypts everything encrypted to you.",
		fix: "Publish a revocation certificate for the key, create a new one, re-sign what needs it, and purge the old key from history.",
	},
	{
		name: "putty-private-key", title: "PuTTY private key", provider: "every server that trusts the public key", sev: scanners.Critical,
		keywords: []string{"PuTTY-User-Key-File-"}, prio: prioSpecific, find: findPuTTY,
	},
	{
		name: "kubeconfig-client-key", long: true, title: "Kubernetes client private key in a kubeconfig", provider: "the cluster (revoke the client certificate or rotate the CA)", sev: scanners.Critical,
		keywords: []string{"client-key-data"}, re: `client-key-data"?\s*:\s*"?([A-Za-z0-9+/]{64,}={0,2})`, group: 1, noFilter: true,
		check: func(s string, _ []byte) bool {
			b, err := base64.StdEncoding.DecodeString(s)
			return err == nil && bytes.Contains(b, []byte("PRIVATE KEY"))
		},
	},
	{
		name: "jwt", long: true, title: "JSON Web Token", provider: "the issuer (rotate its signing key if the token does not expire)", sev: scanners.Medium,
		keywords: []string{"eyJ"}, exact: true, re: `(?:^|[^A-Za-z0-9_\-.])(eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,})`, group: 1, prio: prioContext,
		check: checkJWT,
		why:   "A signed JWT is a bearer credential: whoever holds it is the subject until it expires, and long-lived tokens are common in configuration.",
		fix:   "Invalidate the token at its issuer (or rotate the signing key if it cannot be revoked and does not expire), and load tokens at run time instead of committing them. Test tokens belong in fixtures signed with a throw-away key and a past expiry.",
	},
	{
		name: "kubernetes-secret", title: "Kubernetes Secret with literal data", provider: "the systems whose credentials the Secret holds", sev: scanners.High,
		keywords: []string{"kind: secret", `"kind": "secret"`, `"kind":"secret"`}, prio: prioSpecific, find: findK8sSecret,
		why: "Kubernetes Secret data is only base64-encoded: anyone who reads the manifest reads the credentials.",
		fix: "Rotate the credentials the Secret holds, then keep only a reference in the repository: an ExternalSecret, a SealedSecret, SOPS-encrypted data or a Helm value supplied at deploy time.",
	},
}

// findPEM finds "-----BEGIN <label>-----" … "-----END <label>-----" blocks
// for the given labels, in real lines or in one line with "\n" escapes.
// One finding spans from the BEGIN marker to the END marker.
func findPEM(labels ...string) finder {
	return func(c *scanCtx, hs, he int) ([]span, int) {
		rest := c.data[he:min(len(c.data), he+64)]
		i := bytes.Index(rest, []byte("-----"))
		if i < 0 {
			return nil, he
		}
		label := string(rest[:i])
		ok := false
		for _, l := range labels {
			ok = ok || l == label
		}
		if !ok {
			return nil, he
		}
		bodyStart := he + i + 5
		limit := min(len(c.data), bodyStart+64<<10)
		endMark := []byte("-----END " + label + "-----")
		j := bytes.Index(c.data[bodyStart:limit], endMark)
		if j < 0 {
			return nil, limit // no END here: BEGINs inside this stretch cannot close in it either
		}
		body := c.data[bodyStart : bodyStart+j]
		end := bodyStart + j + len(endMark)
		norm, ok := pemBody(body)
		if !ok {
			return nil, end
		}
		return []span{{hs, end, norm}}, end
	}
}

// pemBody normalises a key body to its base64 characters (so re-wrapping
// keeps the fingerprint) and rejects elided or placeholder bodies.
func pemBody(body []byte) (string, bool) {
	lower := strings.ToLower(string(body))
	for _, w := range []string{"...", "xxxx", "example", "placeholder", "redacted", "<", "${", "{{", "your", "insert", "truncated", "…"} {
		if strings.Contains(lower, w) {
			return "", false
		}
	}
	s := strings.ReplaceAll(string(body), `\n`, "\n")
	s = strings.ReplaceAll(s, `\r`, "\n")
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, ": ") { // Proc-Type:, DEK-Info:, Version:, Comment:
			continue
		}
		for k := 0; k < len(line); k++ {
			if isBase64Char(line[k]) {
				b.WriteByte(line[k])
			}
		}
	}
	return b.String(), b.Len() >= 64 && distinct(b.String()) >= 20
}

// findPuTTY finds a PuTTY .ppk key: from its first line to the end of the
// Private-Lines block.
func findPuTTY(c *scanCtx, hs, he int) ([]span, int) {
	ls, _ := c.lineBounds(hs)
	limit := min(len(c.data), hs+32<<10)
	k := bytes.Index(c.data[hs:limit], []byte("Private-Lines:"))
	if k < 0 {
		return nil, limit
	}
	p := hs + k
	_, le := c.lineBounds(p)
	var n int
	for _, ch := range strings.TrimSpace(string(c.data[p+len("Private-Lines:") : le])) {
		if ch < '0' || ch > '9' {
			return nil, le
		}
		n = n*10 + int(ch-'0')
	}
	end := le
	var body strings.Builder
	for range n {
		if end+1 >= len(c.data) {
			break
		}
		_, e := c.lineBounds(end + 1)
		body.Write(bytes.TrimSpace(c.data[end+1 : e]))
		end = e
	}
	norm, ok := pemBody([]byte(body.String()))
	if !ok {
		return nil, end
	}
	return []span{{ls, end, norm}}, end
}

// checkJWT accepts a JWT whose header and payload decode to JSON objects
// with an algorithm, and rejects well-known documentation tokens and
// public-by-design tokens (Supabase anon keys).
func checkJWT(s string, _ []byte) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	var header map[string]any
	hb, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil || json.Unmarshal(hb, &header) != nil {
		return false
	}
	if alg, _ := header["alg"].(string); alg == "" || strings.EqualFold(alg, "none") {
		return false
	}
	pb, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	var payload map[string]any
	if err != nil || json.Unmarshal(pb, &payload) != nil {
		return false
	}
	if role, _ := payload["role"].(string); role == "anon" {
		return false
	}
	if name, _ := payload["name"].(string); name == "John Doe" {
		return false // the jwt.io example
	}
	if isPlaceholder(string(pb)) && !strings.Contains(string(pb), "1234567890") {
		return false
	}
	return !isPlaceholder(parts[2])
}

// stripPEM returns the body of a PEM block given with "\n" escapes.
func stripPEM(s string) string {
	s = strings.ReplaceAll(s, `\n`, "")
	if i := strings.Index(s, "KEY-----"); i >= 0 {
		s = s[i+8:]
	}
	if i := strings.Index(s, "-----END"); i >= 0 {
		s = s[:i]
	}
	return s
}

// findK8sSecret reports the literal values of a Kubernetes Secret's data
// (base64) and stringData (plain) maps in the YAML document around the hit.
// Certificates, templated values, references and trivial values are not
// reported; nor are keys that name non-secret fields (user, host, port…).
func findK8sSecret(c *scanCtx, hs, he int) ([]span, int) {
	docStart := bytes.LastIndex(c.data[:hs], []byte("\n---"))
	docStart++ // -1 → 0
	docEnd := len(c.data)
	if k := bytes.Index(c.data[he:], []byte("\n---")); k >= 0 {
		docEnd = he + k
	}
	var out []span
	section, sectionIndent := "", -1
	for off := docStart; off < docEnd; {
		ls, le := c.lineBounds(off)
		off = le + 1
		line := c.data[ls:le]
		trimmed := bytes.TrimLeft(line, " \t")
		indent := len(line) - len(trimmed)
		if len(bytes.TrimSpace(trimmed)) == 0 || trimmed[0] == '#' {
			continue
		}
		if section != "" && indent <= sectionIndent {
			section = ""
		}
		key, val, ok := bytes.Cut(trimmed, []byte(":"))
		if !ok {
			continue
		}
		k := string(bytes.Trim(bytes.TrimSpace(key), `"'`))
		v := bytes.TrimSuffix(bytes.TrimSpace(val), []byte(",")) // JSON manifests too
		if section == "" {
			if (k == "data" || k == "stringData") && (len(v) == 0 || string(v) == "{") {
				section, sectionIndent = k, indent
			}
			continue
		}
		if len(v) == 0 || string(v) == "{" || nonSecretKey(k) {
			continue
		}
		raw := strings.Trim(string(v), `"'`)
		start := ls + indent + len(key) + 1 + bytes.Index(val, []byte(raw))
		if bytes.Index(val, []byte(raw)) < 0 {
			continue
		}
		plain := raw
		if section == "data" {
			b, err := base64.StdEncoding.DecodeString(raw)
			if err != nil {
				continue
			}
			plain = string(b)
		}
		if !k8sSecretValue(plain) {
			continue
		}
		out = append(out, span{start, start + len(raw), raw})
	}
	return out, docEnd
}

func nonSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"user", "host", "port", "name", "database", "namespace", "region", "endpoint", "email", "ca.crt", "tls.crt", "url"} {
		if strings.Contains(k, w) && !strings.Contains(k, "pass") && !strings.Contains(k, "secret") && !strings.Contains(k, "token") {
			return true
		}
	}
	return k == "db"
}

func k8sSecretValue(v string) bool {
	switch {
	case strings.Contains(v, "PRIVATE KEY"):
		return true
	case strings.HasPrefix(v, "-----BEGIN"), len(v) < 8, isReference(v), isPlaceholder(v), isDefaultPassword(v, ""):
		return false
	}
	return entropy(v) >= 2.8 && numClasses(v) >= 2
}
