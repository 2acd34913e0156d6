package orders

import (
	"fmt"
	"net/http"
)

func List(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	q := fmt.Sprintf("SELECT id, total FROM orders WHERE status = '%s'", status)
	rows, err := db.Query(q) // want: sql-injection
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
}
