package publish

import (
	"context"
	"maps"
	"sync"

	"github.com/picketsec/picket/scanners"
)

// State remembers the GitHub ids Picket created, so that a retried or
// repeated publish reuses them. repo is Target.FullName(). Lookups that
// find nothing return ok false and no error; errors are storage failures.
type State interface {
	// CheckRun returns the check run opened for a head commit.
	CheckRun(ctx context.Context, repo, headSHA string) (id int64, ok bool, err error)
	// SetCheckRun records the check run of a head commit.
	SetCheckRun(ctx context.Context, repo, headSHA string, id int64) error
	// Comments returns the review comment id per fingerprint on a pull request.
	Comments(ctx context.Context, repo string, pr int) (map[scanners.Fingerprint]int64, error)
	// SetComment records the comment posted for a fingerprint.
	SetComment(ctx context.Context, repo string, pr int, fp scanners.Fingerprint, id int64) error
}

// MemState is an in-memory State, safe for concurrent use. Its zero
// value is ready to use.
type MemState struct {
	mu       sync.Mutex
	runs     map[[2]string]int64
	comments map[prKey]map[scanners.Fingerprint]int64
}

type prKey struct {
	repo string
	pr   int
}

var _ State = (*MemState)(nil)

// CheckRun implements State.
func (m *MemState) CheckRun(_ context.Context, repo, head string) (int64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.runs[[2]string{repo, head}]
	return id, ok, nil
}

// SetCheckRun implements State.
func (m *MemState) SetCheckRun(_ context.Context, repo, head string, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.runs == nil {
		m.runs = map[[2]string]int64{}
	}
	m.runs[[2]string{repo, head}] = id
	return nil
}

// Comments implements State. The map is a copy.
func (m *MemState) Comments(_ context.Context, repo string, pr int) (map[scanners.Fingerprint]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.comments[prKey{repo, pr}]), nil
}

// SetComment implements State.
func (m *MemState) SetComment(_ context.Context, repo string, pr int, fp scanners.Fingerprint, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.comments == nil {
		m.comments = map[prKey]map[scanners.Fingerprint]int64{}
	}
	k := prKey{repo, pr}
	if m.comments[k] == nil {
		m.comments[k] = map[scanners.Fingerprint]int64{}
	}
	m.comments[k][fp] = id
	return nil
}
