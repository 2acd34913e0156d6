package auth

import "net/http"

func Done(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/projects/"+r.URL.Query().Get("id"), http.StatusSeeOther)
}
