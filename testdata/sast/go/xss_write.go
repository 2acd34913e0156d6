package web

import "net/http"

func Echo(w http.ResponseWriter, r *http.Request) {
	msg := r.URL.Query().Get("msg")
	w.Write([]byte("<p>" + msg + "</p>")) // want: xss
}
