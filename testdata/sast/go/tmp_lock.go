package lock

import (
	"os"
	"path/filepath"
)

func Acquire() (*os.File, error) {
	return os.Create(filepath.Join(os.TempDir(), "deploy.lock")) // want: predictable-tempfile
}
