package accounts

import (
	"net/http"

	"github.com/jmoiron/sqlx"
)

var dbx *sqlx.DB

func ByName(w http.ResponseWriter, r *http.Request) {
	var a Account
	err := dbx.Get(&a, "SELECT * FROM accounts WHERE name = '"+r.FormValue("name")+"'") // want: sql-injection
	_ = err
}
