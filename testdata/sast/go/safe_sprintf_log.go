package audit

import (
	"fmt"
	"log"
	"net/http"
)

func Log(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("user %s requested %s", r.FormValue("user"), r.URL.Path)
	log.Println(msg)
	fmt.Fprintln(w, "ok")
}
