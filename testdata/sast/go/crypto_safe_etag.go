package cache

import (
	"crypto/sha1"
	"fmt"
)

func ContentID(body []byte) string {
	return fmt.Sprintf("%x", sha1.Sum(body))
}
