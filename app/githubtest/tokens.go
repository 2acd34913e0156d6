package githubtest

import (
	"hash/crc32"
	"math/rand/v2"
)

// ClassicPAT returns a random GitHub classic personal access token
// ("ghp_" + 30 characters + a 6-character CRC32 checksum in base 62) whose
// checksum is valid, so the secret scanner reports it at full confidence.
// For planting findings in tests; it grants nothing.
func ClassicPAT(r *rand.Rand) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := make([]byte, 30)
	for i := range body {
		body[i] = alnum[r.IntN(len(alnum))]
	}
	n := crc32.ChecksumIEEE(body)
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = alnum[n%62]
		n /= 62
	}
	return "ghp_" + string(body) + string(sum[:])
}
