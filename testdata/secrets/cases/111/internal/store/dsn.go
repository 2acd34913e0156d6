package store

import "fmt"

func DSN(u, p, h string) string {
	return fmt.Sprintf("postgres://%s:%s@%s/app?sslmode=require", u, p, h)
}
