package invite

import "math/rand"

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func NewInviteToken() string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = letters[rand.Intn(len(letters))] // want: insecure-random
	}
	return string(b)
}
