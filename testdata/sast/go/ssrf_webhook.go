package hooks

import (
	"bytes"
	"net/http"
)

func Test(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("callback")
	req, _ := http.NewRequest("POST", target, bytes.NewBufferString("{}")) // want: ssrf
	http.DefaultClient.Do(req)
}
