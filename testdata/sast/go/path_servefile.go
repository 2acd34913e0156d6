package static

import "net/http"

func Asset(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("f")
	http.ServeFile(w, r, "/srv/assets/"+name) // want: path-traversal
}
