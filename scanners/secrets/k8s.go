package secrets

import (
	"bytes"
	"encoding/base64"
	"strings"
)

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
