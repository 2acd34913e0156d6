package main

import (
	"log"
	"net/http"
	_ "net/http/pprof"
)

func main() {
	log.Fatal(http.ListenAndServe("0.0.0.0:6060", nil)) // want: debug-server
}
