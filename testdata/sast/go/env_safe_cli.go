package main

import (
	"database/sql"
	"net/http"
	"os"
)

func main() {
	db, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	resp, _ := http.Get(os.Getenv("HEALTHCHECK_URL"))
	_ = resp
	_ = db
}
