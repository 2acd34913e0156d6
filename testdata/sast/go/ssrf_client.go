package fetch

import (
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 5 * time.Second}

func Proxy(w http.ResponseWriter, r *http.Request) {
	resp, err := client.Get(r.URL.Query().Get("src")) // want: ssrf
	if err == nil {
		resp.Body.Close()
	}
}
