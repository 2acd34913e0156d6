package report

import (
	"fmt"
	"net/http"
)

func filter(col, val string) string {
	return fmt.Sprintf("%s = '%s'", col, val)
}

func Export(w http.ResponseWriter, r *http.Request) {
	where := filter("region", r.FormValue("region"))
	rows, _ := db.Query("SELECT * FROM sales WHERE " + where) // want: sql-injection
	defer rows.Close()
}
