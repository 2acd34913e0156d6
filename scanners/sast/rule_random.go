package sast

import "github.com/picketsec/picket/scanners"

var insecureRandom = &rule{
	meta: meta("insecure-random", scanners.Medium,
		"Predictable random numbers used for a secret",
		"math/rand, Python's random, Math.random and java.util.Random are seeded predictably or leak their state, so tokens, passwords and keys made with them can be guessed.",
		"Use the cryptographic generator: crypto/rand (rand.Text, rand.Read), Python's secrets module, crypto.randomBytes / crypto.randomUUID, java.security.SecureRandom.",
		"CWE-338", "A02:2021 Cryptographic Failures",
		`token := fmt.Sprintf("%d", rand.Int63())`),
	sinks: []sink{
		{langs: langGo, names: []string{"math/rand.Int", "math/rand.Intn", "math/rand.Int31", "math/rand.Int31n", "math/rand.Int63", "math/rand.Int63n", "math/rand.Uint32",
			"math/rand.Uint64", "math/rand.Read", "math/rand.Float64", "math/rand.Perm", "math/rand/v2.Int", "math/rand/v2.IntN", "math/rand/v2.N", "math/rand/v2.Uint64",
			"math/rand/v2.Uint32", "math/rand/v2.Int64", "math/rand/v2.Int64N"},
			when: (*match).securityContext, advice: "math/rand is predictable; use crypto/rand (rand.Text() or rand.Read)"},
		{langs: langPython, names: []string{"random.random", "random.randint", "random.randrange", "random.choice", "random.choices", "random.getrandbits", "random.sample", "random.uniform"},
			when: (*match).securityContext, advice: "the random module is predictable; use secrets.token_urlsafe, secrets.token_hex or secrets.choice"},
		{langs: langJS, names: []string{"Math.random"},
			when: (*match).securityContext, advice: "Math.random is predictable; use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues"},
		{langs: langJava, names: []string{"new Random", "Math.random", "RandomStringUtils.random", "RandomStringUtils.randomAlphanumeric", "RandomStringUtils.randomNumeric", "RandomStringUtils.randomAlphabetic", "ThreadLocalRandom.current"},
			when: (*match).securityContext, advice: "java.util.Random is predictable; use java.security.SecureRandom"},
	},
}
