package web

import (
	"html/template"
	"net/http"

	"github.com/microcosm-cc/bluemonday"
)

var policy = bluemonday.UGCPolicy()

func Comment(w http.ResponseWriter, r *http.Request) {
	safe := template.HTML(policy.Sanitize(r.FormValue("comment")))
	tmpl.Execute(w, safe)
}
