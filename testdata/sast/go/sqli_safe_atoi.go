package orders

import (
	"net/http"
	"strconv"
)

func Page(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil {
		n = 1
	}
	rows, _ := db.Query("SELECT * FROM orders LIMIT 20 OFFSET " + strconv.Itoa(n*20))
	defer rows.Close()
}
