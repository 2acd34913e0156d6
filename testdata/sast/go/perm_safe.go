package logging

import "os"

func Setup(dir string) error {
	return os.WriteFile(dir+"/app.pid", []byte("1"), 0644)
}
