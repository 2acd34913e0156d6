package list

import (
	"fmt"
	"net/http"
)

func Items(w http.ResponseWriter, r *http.Request) {
	order := r.URL.Query().Get("order")
	rows, err := db.QueryContext(r.Context(), fmt.Sprintf("SELECT * FROM items ORDER BY %s", order)) // want: sql-injection
	if err == nil {
		rows.Close()
	}
}
