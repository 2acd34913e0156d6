package tools

import (
	"context"
	"net/http"
	"os/exec"
)

func Run(w http.ResponseWriter, r *http.Request) {
	tool := r.URL.Query().Get("tool")
	out, _ := exec.CommandContext(context.Background(), tool, "--version").Output() // want: command-injection
	w.Write(out)
}
