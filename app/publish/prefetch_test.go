package publish

import (
	"context"
	"testing"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// TestPublishUsesPrefetched: with the reads of what is posted prefetched,
// Publish does not read the reviews again, still posts nothing twice, and
// reads afresh when the prefetch was for another target.
func TestPublishUsesPrefetched(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("one", scanners.High, "a.go", 3, 3)), Options{})
	ctx := context.Background()

	pre := e.pub.Prefetch(ctx, target(head2))
	pre.Wait()
	before := len(e.s.Calls("pulls/list-reviews"))
	e.run(t, e.pub, head2, report(finding("one", scanners.High, "a.go", 3, 3), finding("two", scanners.High, "a.go", 4, 4)),
		Options{Prefetched: pre})
	if n := len(e.s.Calls("pulls/list-reviews")) - before; n != 0 {
		t.Errorf("Publish listed reviews %d times after they were prefetched", n)
	}
	if got := len(e.rootComments()); got != 2 {
		t.Errorf("%d comments, want 2: the prefetched one not repeated, the new one posted", got)
	}

	before = len(e.s.Calls("pulls/list-reviews"))
	e.run(t, e.pub, head2, report(finding("one", scanners.High, "a.go", 3, 3)), Options{Prefetched: e.pub.Prefetch(ctx, target(head1))})
	if n := len(e.s.Calls("pulls/list-reviews")) - before; n != 2 {
		t.Errorf("%d reviews listings, want 2: the stray prefetch, then Publish's own", n)
	}
}

// TestReplyAfterPrefetchIsLeftAlone: a person who answers a Picket thread
// after the prefetch, while the scan runs, keeps the thread unresolved
// and its comment unedited when the finding goes.
func TestReplyAfterPrefetchIsLeftAlone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("answered", scanners.High, "a.go", 5, 5), finding("goes", scanners.High, "a.go", 4, 4)), Options{})
	ids := map[scanners.Fingerprint]int64{}
	for _, c := range e.rootComments() {
		f, _ := templates.ParseMarker(c.Body)
		ids[f] = c.ID
	}
	pre := e.pub.Prefetch(context.Background(), target(head2))
	pre.Wait()
	e.s.AddReply(repo, 1, ids[fp("answered")], "mona", "Not a secret: a test fixture.")
	body := e.bodyOf(ids[fp("answered")])

	e.run(t, e.pub, head2, report(), Options{Prefetched: pre})
	if e.s.ThreadResolved(repo, ids[fp("answered")]) || e.bodyOf(ids[fp("answered")]) != body {
		t.Error("a thread a person answered after the prefetch was touched")
	}
	if !e.s.ThreadResolved(repo, ids[fp("goes")]) {
		t.Error("the unanswered thread of a gone finding is not resolved")
	}
}

func TestThreadReplied(t *testing.T) {
	by := func(login string) threadComment {
		c := threadComment{DatabaseID: 1}
		if login != "" {
			c.Author = &struct {
				Login string `json:"login"`
			}{login}
		}
		return c
	}
	for _, tc := range []struct {
		name string
		cs   []threadComment
		want bool
	}{
		{"root alone", []threadComment{by("picket")}, false},
		{"root's author again", []threadComment{by("picket"), by("picket")}, false},
		{"a person", []threadComment{by("picket"), by("picket"), by("mona")}, true},
		{"a deleted account", []threadComment{by("picket"), by("")}, true},
		{"root by a deleted account", []threadComment{by(""), by("picket")}, true},
	} {
		if got := replied(tc.cs); got != tc.want {
			t.Errorf("%s: replied = %v, want %v", tc.name, got, tc.want)
		}
	}
}
