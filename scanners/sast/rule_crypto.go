package sast

import (
	"regexp"
	"strings"

	"github.com/picketsec/picket/scanners"
)

var weakHashName = regexp.MustCompile(`(?i)^(md5|md4|sha-?1|ripemd160)$`)

var weakCipherName = regexp.MustCompile(`(?i)(^|[-/])(des|desede|3des|des-ede3?|rc4|arcfour|rc2|blowfish|bf)([-/]|$)|ecb|^aes$`)

// weakHashForSecret keeps a weak hash whose surroundings say it hashes a
// password or makes a signature (an MD5 ETag or cache key is fine).
func weakHashForSecret(m *match) bool { return m.securityContext() }

var weakCrypto = &rule{
	meta: meta("weak-crypto", scanners.Medium,
		"Broken hash or cipher protecting secrets",
		"MD5 and SHA-1 collide and are fast to brute-force, so they neither protect passwords nor make signatures; DES, 3DES, RC4 and ECB mode leak plaintext.",
		"Hash passwords with a slow KDF (bcrypt, scrypt, argon2, PBKDF2), sign with HMAC-SHA-256 or Ed25519, and encrypt with AES-GCM or ChaCha20-Poly1305.",
		"CWE-327", "A02:2021 Cryptographic Failures",
		`hashlib.md5(password.encode()).hexdigest()`),
	sinks: []sink{
		{langs: langGo, names: []string{"crypto/md5.New", "crypto/md5.Sum", "crypto/sha1.New", "crypto/sha1.Sum"}, when: weakHashForSecret,
			advice: "MD5/SHA-1 must not hash passwords or sign data; use bcrypt/argon2 for passwords and HMAC-SHA-256 or Ed25519 for signatures"},
		{langs: langGo, names: []string{"crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher"},
			advice: "DES, 3DES and RC4 are broken; use AES-GCM (crypto/cipher.NewGCM)"},
		{langs: langPython, names: []string{"hashlib.md5", "hashlib.sha1", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA1.new", "MD5.new", "SHA.new"}, when: weakHashForSecret,
			advice: "MD5/SHA-1 must not hash passwords or sign data; use hashlib.scrypt, bcrypt or argon2, or hmac with SHA-256"},
		{langs: langPython, names: []string{"hashlib.new"},
			when: func(m *match) bool {
				s, _ := m.arg(0).constString()
				return weakHashName.MatchString(s) && m.securityContext()
			},
			advice: "MD5/SHA-1 must not hash passwords or sign data; use hashlib.scrypt, bcrypt or argon2"},
		{langs: langPython, names: []string{"Crypto.Cipher.DES.new", "Crypto.Cipher.DES3.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.Blowfish.new", "DES.new", "DES3.new", "ARC4.new",
			"*.algorithms.TripleDES", "*.algorithms.ARC4", "*.algorithms.Blowfish", "*.modes.ECB", "algorithms.TripleDES", "algorithms.ARC4", "modes.ECB"},
			advice: "DES, 3DES, RC4, Blowfish and ECB mode are broken; use AES-GCM"},
		{langs: langPython, names: []string{"*.AES.new", "AES.new"},
			when:   func(m *match) bool { return strings.HasSuffix(m.arg(1).path(), "MODE_ECB") },
			advice: "ECB mode leaks patterns of the plaintext; use AES.MODE_GCM"},
		{langs: langJS, names: []string{"crypto.createHash", "crypto.createHmac"},
			when: func(m *match) bool {
				s, _ := m.arg(0).constString()
				return weakHashName.MatchString(s) && (base(m.callee) == "createHash" && m.securityContext())
			},
			advice: "MD5/SHA-1 must not hash passwords or sign data; use crypto.scrypt, bcrypt or argon2, or an HMAC with SHA-256"},
		{langs: langJS, names: []string{"crypto.createCipheriv", "crypto.createDecipheriv", "crypto.createCipher"},
			when: func(m *match) bool {
				s, _ := m.arg(0).constString()
				return weakCipherName.MatchString(s)
			},
			advice: "DES, 3DES, RC4 and ECB mode are broken; use aes-256-gcm"},
		{langs: langJava, names: []string{"MessageDigest.getInstance", "DigestUtils.md5Hex", "DigestUtils.sha1Hex", "DigestUtils.md5", "DigestUtils.sha1"},
			when: func(m *match) bool {
				if base(m.callee) != "getInstance" {
					return m.securityContext()
				}
				s, _ := m.arg(0).constString()
				return weakHashName.MatchString(s) && m.securityContext()
			},
			advice: "MD5/SHA-1 must not hash passwords or sign data; use PBKDF2, bcrypt or argon2, and HMAC-SHA-256 for signatures"},
		{langs: langJava, names: []string{"Cipher.getInstance", "KeyGenerator.getInstance", "SecretKeyFactory.getInstance"},
			when: func(m *match) bool {
				s, _ := m.arg(0).constString()
				return weakCipherName.MatchString(s)
			},
			advice: `DES, 3DES, RC4, Blowfish and ECB mode (the default for plain "AES") are broken; use "AES/GCM/NoPadding"`},
	},
}
