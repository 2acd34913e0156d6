// Package later runs a function on a goroutine of its own and hands its
// result to whoever waits for it, so that calls to GitHub that do not
// depend on each other share a round trip.
package later

// Value is the result of a function running on its own goroutine.
type Value[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// Go runs fn on a new goroutine.
func Go[T any](fn func() (T, error)) *Value[T] {
	l := &Value[T]{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.v, l.err = fn()
	}()
	return l
}

// Wait returns fn's result once it has returned; any number of callers
// may wait.
func (l *Value[T]) Wait() (T, error) {
	<-l.done
	return l.v, l.err
}
