package gitops

import (
	"net/http"
	"os/exec"
)

func Clone(w http.ResponseWriter, r *http.Request) {
	repo := r.FormValue("repo")
	if err := exec.Command("git", "clone", "--depth=1", "--", repo).Run(); err != nil {
		w.WriteHeader(500)
	}
}
