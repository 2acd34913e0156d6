package orders

import "net/http"

func Get(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	row := db.QueryRow("SELECT id, total FROM orders WHERE id = $1", id)
	var total int
	row.Scan(&total)
}
