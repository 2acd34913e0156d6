package later_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/picketsec/picket/app/internal/later"
)

func TestWaitReturnsTheResultToEveryWaiter(t *testing.T) {
	release := make(chan struct{})
	boom := errors.New("boom")
	v := later.Go(func() (int, error) {
		<-release // the function runs while the caller goes on
		return 42, boom
	})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if n, err := v.Wait(); n != 42 || !errors.Is(err, boom) {
				t.Errorf("Wait = %d, %v; want 42, boom", n, err)
			}
		})
	}
	close(release)
	wg.Wait()
}
