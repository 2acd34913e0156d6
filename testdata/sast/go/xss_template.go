package web

import (
	"html/template"
	"net/http"
)

var page = template.Must(template.New("p").Parse(`<div>{{.}}</div>`))

func Bio(w http.ResponseWriter, r *http.Request) {
	bio := r.FormValue("bio")
	page.Execute(w, template.HTML(bio)) // want: xss
}
