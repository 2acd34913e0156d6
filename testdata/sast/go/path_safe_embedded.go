package static

import (
	"embed"
	"net/http"
)

//go:embed assets
var assets embed.FS

func Asset(w http.ResponseWriter, r *http.Request) {
	data, err := assets.ReadFile("assets/" + r.URL.Query().Get("name"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}
