package users

import "net/http"

func Delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	query := "DELETE FROM users WHERE id = " + id
	if _, err := db.ExecContext(r.Context(), query); err != nil { // want: sql-injection
		w.WriteHeader(500)
	}
}
