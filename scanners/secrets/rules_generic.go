package secrets

import (
	"encoding/base64"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// genericRules: credentials recognised by where they are, not their format.
var genericRules = []def{
	{
		name: "generic-secret", title: "Generic secret assigned to a secret-like name", provider: "the service that issued it", sev: scanners.Medium,
		keywords: []string{"secret", "token", "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key", "auth_key", "authkey",
			"private_key", "privatekey", "signing_key", "signingkey", "encryption_key", "encryptionkey", "master_key", "credential", "_key", "-key"},
		find: findAssignment(false), prio: prioGeneric,
		why: "A high-entropy value assigned to a name like token, secret or api_key is almost always a live credential; in the repository anyone who can read it can use it.",
		fix: "Rotate the credential at the service that issued it, read it at run time from the environment or a secret store, and purge it from history if the repository is or was public. If the value is not secret, rename the variable or add `picket:ignore` with a reason.",
	},
	{
		name: "generic-password", title: "Hard-coded password", provider: "the system it logs in to", sev: scanners.Medium,
		keywords: []string{"passw", "pwd", "passphrase"}, find: findAssignment(true), prio: prioGeneric,
		why: "A password in the repository logs in for anyone who can read the code or its history, and passwords are often reused across systems.",
		fix: "Change the password on the system it logs in to, read it at run time from the environment or a secret store, and purge it from history if the repository is or was public.",
	},
	{
		name: "url-password", title: "Password in a URL", provider: "the server in the URL", sev: scanners.High,
		keywords: []string{"://"}, find: findURLPassword, prio: prioContext,
		why: "A URL such as postgres://user:password@host carries its password in clear text into code, logs and error messages.",
		fix: "Change the password on the server, build the URL at run time from a secret (e.g. DATABASE_URL in the environment), and purge the old one from history if the repository is or was public.",
	},
	{
		name: "authorization-header", long: true, title: "Credential in a hard-coded Authorization header", provider: "the API it authenticates to", sev: scanners.High,
		keywords: []string{"authorization"}, prio: prioContext,
		re: `(?i:authorization)["']?\s*[:=,]\s*["']?(?i:basic|bearer|token)\s+([A-Za-z0-9._~+/=\-]{16,})`, group: 1,
		check: checkAuthHeader,
	},
	{
		name: "connection-string-password", title: "Password in a connection string", provider: "the database server", sev: scanners.High,
		keywords: []string{"password=", "pwd="}, prio: prioContext,
		re: `(?i:server|data source|host|uid|user id|username|addr)=[^;"']*;(?:[^"']*;)?\s*(?i:password|pwd)=([^;"'\s]{4,})`, group: 1,
		check: func(s string, _ []byte) bool { return !isReference(s) && !isDefaultPassword(s, "") },
	},
}

// isReference reports values that point at a secret instead of holding
// one: variable and template references, environment lookups, paths.
func isReference(v string) bool {
	if v == "" {
		return true
	}
	switch v[0] {
	case '$', '%', '{', '<', '@', '[', '(', '&', '*':
		return true
	}
	lower := strings.ToLower(v)
	for _, w := range []string{"enc[", "process.env", "getenv", "environ", "env(", "env.", "secrets.", "vault:", "ssm:", "arn:aws", "://", "keyvault", "secretsmanager", "var.", "local.", "data.", "module."} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") {
		return true
	}
	for _, ext := range []string{".pem", ".key", ".json", ".txt", ".p12", ".pfx", ".jks", ".crt", ".yaml", ".yml", ".env"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	// A dotted or snake-case identifier without digits is a name, not a value.
	_, _, digit, _ := classes(v)
	if !digit && strings.Trim(lower, "abcdefghijklmnopqrstuvwxyz._") == "" {
		return true
	}
	return false
}

// defaultPasswords are values that are placeholders or local development
// defaults rather than leaked credentials.
var defaultPasswords = map[string]bool{
	"password": true, "passw0rd": true, "password1": true, "password123": true, "secret": true, "changeme": true,
	"admin": true, "admin123": true, "root": true, "toor": true, "postgres": true, "mysql": true, "redis": true,
	"guest": true, "test": true, "test123": true, "testpass": true, "example": true, "12345678": true, "123456789": true,
	"qwerty": true, "letmein": true, "pass": true, "pass123": true, "dev": true, "development": true, "local": true,
	"none": true, "null": true, "empty": true, "true": true, "false": true, "hunter2": true, "opensesame": true, "foobar": true, "mypassword": true,
}

func isDefaultPassword(p, user string) bool {
	l := strings.ToLower(p)
	return defaultPasswords[l] || user != "" && strings.EqualFold(p, user)
}

// genericStopWords in a value mark documentation, tests and templates.
var genericStopWords = []string{"password", "passwd", "secret", "token", "test", "demo", "sample", "fake", "dummy", "mock",
	"todo", "fixme", "default", "value", "replace", "insert", "here", "foo", "bar", "lorem", "enter", "api_key", "apikey"}

func genericValueOK(v string, password bool) bool {
	if isReference(v) || isPlaceholder(v) || isUUID(v) || isHashLike(v) || isDefaultPassword(v, "") {
		return false
	}
	lower := strings.ToLower(v)
	for _, w := range genericStopWords {
		if strings.Contains(lower, w) {
			return false
		}
	}
	if strings.ContainsAny(v, " \t\\") || strings.Count(v, ".") > 3 && !strings.ContainsAny(v, "0123456789") {
		return false
	}
	if password {
		return len(v) >= 8 && len(v) <= 128 && numClasses(v) >= 2 && entropy(v) >= 2.5
	}
	l, u, d, _ := classes(v)
	return len(v) >= 16 && len(v) <= 256 && d && (l || u) && entropy(v) >= 3.2
}

// checkAuthHeader rejects references, and for Basic credentials requires
// base64 of user:password with a real password.
func checkAuthHeader(s string, line []byte) bool {
	if isReference(s) || entropy(s) < 3.3 {
		return false
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && strings.Contains(strings.ToLower(string(line)), "basic") {
		user, pass, ok := strings.Cut(string(b), ":")
		return ok && len(pass) >= 4 && !isPlaceholder(pass) && !isDefaultPassword(pass, user)
	}
	return true
}
