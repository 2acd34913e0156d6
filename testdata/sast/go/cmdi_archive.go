package backup

import (
	"net/http"
	"os/exec"
)

func Archive(w http.ResponseWriter, r *http.Request) {
	dir := r.FormValue("dir")
	cmd := exec.Command("bash", "-c", "tar czf /backups/out.tgz "+dir) // want: command-injection
	if err := cmd.Run(); err != nil {
		w.WriteHeader(500)
	}
}
