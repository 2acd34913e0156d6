package tools

import (
	"net/http"
	"os/exec"
)

var tools = map[string]string{"lint": "golangci-lint", "fmt": "gofmt"}

func Run(w http.ResponseWriter, r *http.Request) {
	bin, ok := tools[r.URL.Query().Get("tool")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	out, _ := exec.Command(bin, "./...").CombinedOutput()
	w.Write(out)
}
