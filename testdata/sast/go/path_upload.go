package upload

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
)

func Save(w http.ResponseWriter, r *http.Request) {
	f, hdr, _ := r.FormFile("file")
	defer f.Close()
	dst, _ := os.Create(filepath.Join("/var/uploads", r.FormValue("folder"), hdr.Filename)) // want: path-traversal
	io.Copy(dst, f)
}
