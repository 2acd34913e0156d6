package health

import "os/exec"

func DiskUsage() ([]byte, error) {
	return exec.Command("sh", "-c", "df -h / | tail -1").Output()
}
