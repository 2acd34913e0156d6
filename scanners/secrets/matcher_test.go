package secrets

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type kwHit struct{ kw, end int }

// naive finds every keyword occurrence by brute force, case-insensitively.
func naive(keywords []string, b []byte) []kwHit {
	lower := bytes.ToLower(b)
	var out []kwHit
	for end := 1; end <= len(b); end++ {
		for k, kw := range keywords {
			if end >= len(kw) && string(lower[end-len(kw):end]) == strings.ToLower(kw) {
				out = append(out, kwHit{k, end})
			}
		}
	}
	return out
}

// TestMatcher compares the two-stream DFA with brute force on random
// inputs, with keywords planted everywhere including across the middle.
func TestMatcher(t *testing.T) {
	keywords := []string{"token", "Secret", "ghp_", "to", "ken", "-----BEGIN ", "AKIA", "passw", "pwd", "://", "aaaa"}
	m := newMatcher(keywords)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcdefghijklmnoptTOKENSECRETaksw:/-_ BEGIN\n")
	for _, size := range []int{0, 1, 100, 4095, 4096, 4097, 10000, 65537} {
		b := make([]byte, size)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		for i := 0; i < size/50; i++ {
			kw := keywords[r.IntN(len(keywords))]
			at := r.IntN(size)
			if i == 0 {
				at = max(0, size/2-len(kw)/2) // straddle the split
			}
			copy(b[at:], kw)
		}
		var got []kwHit
		m.scan(b, func(kw, end int) { got = append(got, kwHit{kw, end}) })
		want := naive(keywords, b)
		sortHits := func(h []kwHit) {
			slices.SortFunc(h, func(a, b kwHit) int {
				if a.end != b.end {
					return a.end - b.end
				}
				return a.kw - b.kw
			})
		}
		if !slices.IsSortedFunc(got, func(a, b kwHit) int { return a.end - b.end }) {
			t.Errorf("size %d: hits not in increasing end order", size)
		}
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Errorf("size %d: %d hits, want %d", size, len(got), len(want))
		}
	}
}

// TestPrefixRules pins which rules start their regex window at the hit.
func TestPrefixRules(t *testing.T) {
	rs, err := builtinRules()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	tails := map[string]int{}
	for _, r := range rs.rules {
		byName[r.name] = r.prefix
		tails[r.name] = r.tail
	}
	for name, want := range map[string]int{"github-pat": 36, "gitlab-pat": 20, "slack-bot-token": 10, "generic-secret": 0} {
		if tails[name] != want {
			t.Errorf("rule %s: tail = %d, want %d", name, tails[name], want)
		}
	}
	for name, want := range map[string]bool{"github-pat": true, "gitlab-pat": true, "openai-api-key": false, "telegram-bot-token": false, "generic-secret": false, "aws-secret-access-key": false} {
		if byName[name] != want {
			t.Errorf("rule %s: prefix = %v, want %v", name, byName[name], want)
		}
	}
}

// TestPathologicalInputs feeds long runs of keywords without separators:
// per-hit work is bounded, so these finish in milliseconds (a quadratic
// slip would take minutes and time the test out).
func TestPathologicalInputs(t *testing.T) {
	rs, err := builtinRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, unit := range []string{"token", "secret_", "://", "password=", "password=\"", "<password>", "-----BEGIN ", "-----BEGIN RSA PRIVATE KEY-----\n", "PuTTY-User-Key-File-", "eyJ", "kind: Secret\n", "sig=", "Authorization: Basic ", "AKIA", "Q~", ":AA", "\"auth\": \"", "_authToken="} {
		data := bytes.Repeat([]byte(unit), (256<<10)/len(unit))
		for _, p := range []string{"a.env", "a.go"} {
			t.Run(strings.TrimSpace(unit)+p, func(t *testing.T) { rs.find(newScanCtx(data, p)) })
		}
	}
}
