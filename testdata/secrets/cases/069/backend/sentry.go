package backend

import "github.com/getsentry/sentry-go"

func init() {
	sentry.Init(sentry.ClientOptions{Dsn: "https://0b8719385ad6ef5a7a0a583721f3d9fb@o966049.ingest.sentry.io/2795033"})
}
