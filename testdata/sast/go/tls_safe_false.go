package client

import "crypto/tls"

func Config(insecure bool) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: false}
}
