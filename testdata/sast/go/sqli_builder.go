package search

import (
	"net/http"
	"strings"
)

func Find(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	sb.WriteString("SELECT * FROM docs WHERE tag = '")
	sb.WriteString(r.URL.Query().Get("tag"))
	sb.WriteString("'")
	rows, _ := db.Query(sb.String()) // want: sql-injection
	defer rows.Close()
}
