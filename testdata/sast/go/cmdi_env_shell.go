package hooks

import (
	"os"
	"os/exec"
)

func RunHook() error {
	return exec.Command("sh", "-c", os.Getenv("POST_DEPLOY_HOOK")).Run() // want: command-injection
}
