package gh

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

// budgetMetrics is fakeMetrics that also implements BudgetMetrics.
type budgetMetrics struct {
	fakeMetrics
	mu    sync.Mutex
	waits []time.Duration
}

func (m *budgetMetrics) BudgetWait(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waits = append(m.waits, d)
}

func TestBudgetWaitsAreObserved(t *testing.T) {
	t.Parallel()
	m := &budgetMetrics{}
	e := setup(t, nil, WithMetrics(m), WithBudget(NewWindowBudget(2, time.Minute, nil)))
	// The budget reads the real clock while the sleeper advances only the
	// fake's; a window of 2 makes the third creation wait about a minute.
	ctx := context.Background()
	c, _ := e.f.Installation(ctx, testInstID)
	for i := 0; i < 3; i++ {
		if _, _, err := c.Issues.CreateComment(ctx, testOwner, testName, 1, &github.IssueComment{Body: github.String("x")}); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
	}
	if _, _, err := c.PullRequests.Get(ctx, testOwner, testName, 1); err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.waits) != 3 {
		t.Fatalf("observed waits %v, want one per content-creating request (3), none for the read", m.waits)
	}
	if !slices.Equal(m.waits[:2], []time.Duration{0, 0}) || m.waits[2] <= 50*time.Second {
		t.Errorf("observed waits %v, want 0, 0 and about a minute", m.waits)
	}
	if w := e.sleeps.all(); len(w) != 1 || w[0] != m.waits[2] {
		t.Errorf("slept %v, want the observed wait %v", w, m.waits[2])
	}
}
