package logging

import "os"

func Setup(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil { // want: world-writable
		return err
	}
	return os.Chmod(dir+"/app.log", 0666) // want: world-writable
}
