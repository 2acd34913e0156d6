package account

import (
	"crypto/sha1"
	"encoding/hex"
)

func CheckPassword(stored, password string) bool {
	h := sha1.Sum([]byte(password)) // want: weak-crypto
	return hex.EncodeToString(h[:]) == stored
}
