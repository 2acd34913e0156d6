package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	mrand "math/rand/v2"
	"strings"
)

// Planted is one secret put into the corpus: the ground truth a tool's
// findings are matched against. Lines are 1-based and inclusive.
type Planted struct {
	Path      string `json:"path"` // slash-separated, relative to the corpus root
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Type      string `json:"type"`
	Format    string `json:"format"`
}

// secretType generates one kind of credential as the assignments a file
// holds: a snake-case name (renderers re-case it) and the value. AWS has
// two, the key id and the secret, planted on adjacent lines.
type secretType struct {
	name string
	gen  func(r *mrand.Rand, i int) (vars []assignment)
}

// assignment is one "name = value" the renderers write.
type assignment struct {
	name, value string
}

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upper32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b64     = alnum + "+/"
	urlsafe = alnum + "_-"
	digits  = "0123456789"
)

func randString(r *mrand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// base62CRC is the 6-character base62 CRC32 checksum that GitHub and npm
// append to their tokens (the format's documented checksum).
func base62CRC(s string) string {
	const digits62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	n := crc32.ChecksumIEEE([]byte(s))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = digits62[n%62]
		n /= 62
	}
	return string(out[:])
}

func checksummed(r *mrand.Rand, prefix string) string {
	body := randString(r, alnum, 30)
	return prefix + body + base62CRC(body)
}

// secretTypes are credentials all three tools claim to detect.
var secretTypes = []secretType{
	{"aws", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{
			{"aws_access_key_id", "AKIA" + randString(r, upper32, 16)},
			{"aws_secret_access_key", randString(r, b64, 40)},
		}
	}},
	{"github-classic-pat", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"github_token", checksummed(r, "ghp_")}}
	}},
	{"github-fine-grained-pat", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"gh_pat", "github_pat_" + randString(r, alnum, 22) + "_" + randString(r, alnum, 59)}}
	}},
	{"slack-bot-token", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"slack_bot_token", "xoxb-" + randString(r, digits, 12) + "-" + randString(r, digits, 13) + "-" + randString(r, alnum, 24)}}
	}},
	{"stripe-live-secret", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"stripe_secret_key", "sk_live_" + randString(r, alnum, 24+r.IntN(2)*75)}}
	}},
	{"private-key", func(r *mrand.Rand, i int) []assignment {
		return []assignment{{"tls_private_key", privateKeyPEM(i)}}
	}},
	{"gitlab-pat", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"gitlab_token", "glpat-" + randString(r, alnum, 20)}}
	}},
	{"npm-token", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"npm_token", checksummed(r, "npm_")}}
	}},
	{"openai-api-key", func(r *mrand.Rand, i int) []assignment {
		if i%2 == 0 {
			return []assignment{{"openai_api_key", "sk-" + randString(r, alnum, 20) + "T3BlbkFJ" + randString(r, alnum, 20)}}
		}
		return []assignment{{"openai_api_key", "sk-proj-" + randString(r, urlsafe, 74) + "T3BlbkFJ" + randString(r, urlsafe, 74)}}
	}},
	{"anthropic-api-key", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"anthropic_api_key", "sk-ant-api03-" + randString(r, alnum, 93) + "AA"}}
	}},
	{"google-api-key", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"google_maps_api_key", "AIza" + randString(r, urlsafe, 35)}}
	}},
	{"sendgrid-api-key", func(r *mrand.Rand, _ int) []assignment {
		return []assignment{{"sendgrid_api_key", "SG." + randString(r, alnum, 22) + "." + randString(r, alnum, 43)}}
	}},
}

// privateKeyPEM returns a freshly generated RSA key, PKCS#1 or PKCS#8 in
// turn: real keys, because some tools parse what they find.
func privateKeyPEM(i int) string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(fmt.Sprintf("generate rsa key: %v", err)) // crypto/rand does not fail
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	if i%2 == 1 {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			panic(fmt.Sprintf("marshal pkcs8: %v", err))
		}
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	}
	return strings.TrimSuffix(string(pem.EncodeToMemory(block)), "\n")
}

// camel turns snake_case into camelCase for Go identifiers.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
