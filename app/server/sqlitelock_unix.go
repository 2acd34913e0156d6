//go:build unix

package server

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// lockSQLite takes an exclusive lock on "<database>.lock" for a sqlite:
// URL, held until the returned Closer is closed (or the process dies,
// when the kernel drops it); nil when nothing was locked. SQLite serves one process: with the lock
// held, any River job the database records as running belongs to a
// process that is gone and can be run again at once (RescueOrphans)
// instead of after PICKET_RESCUE_AFTER. Other URLs lock nothing.
//
// Call it after store.Open, which creates the database's directory.
func lockSQLite(url string) (io.Closer, error) {
	path, ok := strings.CutPrefix(url, "sqlite:")
	if !ok || path == ":memory:" || path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another picket serve is using %s: SQLite serves one process; use PostgreSQL (PICKET_DATABASE_URL=postgres://…) for replicas", path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}
