package static

import (
	"net/http"
	"os"
	"path/filepath"
)

func Avatar(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("user"))
	data, err := os.ReadFile(filepath.Join("/srv/avatars", name+".png"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}
