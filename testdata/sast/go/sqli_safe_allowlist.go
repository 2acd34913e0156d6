package orders

import (
	"fmt"
	"net/http"
)

var sortable = map[string]string{"date": "created_at", "total": "total"}

func Sorted(w http.ResponseWriter, r *http.Request) {
	col, ok := sortable[r.URL.Query().Get("sort")]
	if !ok {
		col = "created_at"
	}
	rows, _ := db.Query(fmt.Sprintf("SELECT * FROM orders ORDER BY %s", col))
	defer rows.Close()
}
