package unzip

import (
	"archive/zip"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

func Upload(w http.ResponseWriter, r *http.Request) {
	f, hdr, _ := r.FormFile("archive")
	zr, _ := zip.NewReader(f, hdr.Size)
	for _, zf := range zr.File {
		out, _ := os.Create(filepath.Join("/srv/unpacked", zf.Name)) // want: path-traversal
		rc, _ := zf.Open()
		io.Copy(out, rc)
	}
}
