package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

func TestPublishOpened(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fix := finding("fixable", scanners.High, "a.go", 4, 5)
	fix.Fix = &scanners.Fix{Description: "Read it from the environment", StartLine: 4, EndLine: 5, Replacement: "token := os.Getenv(\"TOKEN\")\n"}
	r := report(finding("one", scanners.Critical, "a.go", 3, 3), fix, finding("low", scanners.Low, "a.go", 7, 7))
	id := e.run(t, e.pub, head1, r, Options{})

	run := e.checkRun(t, id)
	if run.Name != CheckName || run.Status != "completed" || run.Conclusion != "failure" {
		t.Errorf("check run = %q %s/%s, want Picket completed/failure", run.Name, run.Status, run.Conclusion)
	}
	if len(run.Annotations) != 3 {
		t.Errorf("check run has %d annotations, want 3", len(run.Annotations))
	}
	if !strings.HasPrefix(run.Title, "3 findings") {
		t.Errorf("check title = %q, want it to count 3 findings", run.Title)
	}
	if len(run.Actions) != 1 || run.Actions[0]["identifier"] != RescanAction {
		t.Errorf("check actions = %v, want one with identifier %q", run.Actions, RescanAction)
	}
	reviews := e.s.Reviews(repo, 1)
	if len(reviews) != 1 || reviews[0].State != "COMMENTED" || len(reviews[0].CommentIDs) != 3 {
		t.Fatalf("reviews = %+v, want one COMMENTED review with 3 comments", reviews)
	}
	byFP := map[scanners.Fingerprint]githubtest.ReviewComment{}
	for _, c := range e.rootComments() {
		f, ok := templates.ParseMarker(c.Body)
		if !ok {
			t.Errorf("comment %d has no marker: %q", c.ID, c.Body)
		}
		byFP[f] = c
		if strings.Contains(c.Body, "secretvalue") {
			t.Errorf("comment %d prints the secret", c.ID)
		}
	}
	if c := byFP[fp("one")]; c.Line != 3 || c.Side != "RIGHT" || c.StartLine != 0 {
		t.Errorf("comment for one at line %d side %s start %d, want line 3 RIGHT", c.Line, c.Side, c.StartLine)
	}
	c := byFP[fp("fixable")]
	if c.StartLine != 4 || c.Line != 5 || c.StartSide != "RIGHT" {
		t.Errorf("range comment at %d-%d (%s), want 4-5 RIGHT", c.StartLine, c.Line, c.StartSide)
	}
	if !strings.Contains(c.Body, "```suggestion\ntoken := os.Getenv(\"TOKEN\")\n```") {
		t.Errorf("range comment has no suggestion block:\n%s", c.Body)
	}
	stored, _ := e.state.Comments(context.Background(), "octo-org/hello", 1)
	if len(stored) != 3 || stored[fp("one")] != byFP[fp("one")].ID {
		t.Errorf("stored comment ids = %v, want the 3 posted", stored)
	}
}

func TestPublishSuccessBelowThreshold(t *testing.T) {
	t.Parallel()
	e := setup(t)
	critical := scanners.Critical
	id := e.run(t, e.pub, head1, report(finding("h", scanners.High, "a.go", 3, 3)), Options{FailOn: &critical})
	if got := e.checkRun(t, id).Conclusion; got != "success" {
		t.Errorf("conclusion with a high finding and fail-on critical = %s, want success", got)
	}
}

func TestPublishNothingFound(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.run(t, e.pub, head1, report(), Options{})
	if run := e.checkRun(t, id); run.Conclusion != "success" || run.Title != "No new findings" {
		t.Errorf("check = %s %q, want success \"No new findings\"", run.Conclusion, run.Title)
	}
	if n := len(e.s.Reviews(repo, 1)); n != 0 {
		t.Errorf("%d reviews posted with nothing to say, want 0", n)
	}
}

func TestPublishRequestChanges(t *testing.T) {
	t.Parallel()
	e := setup(t)
	opt := Options{Event: RequestChanges}
	e.run(t, e.pub, head1, report(finding("x", scanners.High, "a.go", 3, 3)), opt)
	rs := e.s.Reviews(repo, 1)
	if len(rs) != 1 || rs[0].State != "CHANGES_REQUESTED" {
		t.Fatalf("reviews = %+v, want one CHANGES_REQUESTED", rs)
	}
	// A new low finding is a comment, not a second block.
	e.run(t, e.pub, head2, report(finding("x", scanners.High, "a.go", 3, 3), finding("low", scanners.Low, "a.go", 4, 4)), opt)
	if rs := e.s.Reviews(repo, 1); len(rs) != 2 || rs[1].State != "COMMENTED" {
		t.Fatalf("after a low finding: reviews = %+v, want a second, COMMENTED review", rs)
	}
	// Once the high finding is fixed, Picket withdraws its block.
	e.run(t, e.pub, head2, report(finding("low", scanners.Low, "a.go", 4, 4)), opt)
	if rs := e.s.Reviews(repo, 1); rs[0].State != "DISMISSED" || rs[1].State != "COMMENTED" {
		t.Errorf("after the fix: review states %s, %s, want DISMISSED, COMMENTED", rs[0].State, rs[1].State)
	}
}

func TestPublishTwiceNothingNew(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := report(finding("one", scanners.High, "a.go", 3, 3), finding("two", scanners.High, "a.go", 100, 100), finding("three", scanners.High, "elsewhere.go", 1, 1))
	e.run(t, e.pub, head1, r, Options{})
	comments, reviews := len(e.s.Comments(repo, 1)), len(e.s.Reviews(repo, 1))
	e.run(t, e.pub, head1, r, Options{})
	if got := len(e.s.Comments(repo, 1)); got != comments {
		t.Errorf("second publish: %d comments, want still %d", got, comments)
	}
	if got := len(e.s.Reviews(repo, 1)); got != reviews {
		t.Errorf("second publish: %d reviews, want still %d", got, reviews)
	}
}

// A crash after posting but before storing the ids: a publisher with an
// empty store must find the comments by their markers.
func TestPublishAfterLostStateUsesMarkers(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := report(finding("one", scanners.High, "a.go", 3, 3), finding("off", scanners.High, "a.go", 100, 100))
	e.run(t, e.pub, head1, r, Options{})
	before := len(e.s.Comments(repo, 1))
	fresh := &MemState{}
	e.run(t, e.publishers(fresh), head1, r, Options{})
	if got := len(e.s.Comments(repo, 1)); got != before {
		t.Errorf("publish with a lost store: %d comments, want still %d", got, before)
	}
	if got, _ := fresh.Comments(context.Background(), "octo-org/hello", 1); len(got) != 2 {
		t.Errorf("the store was not repaired from markers: %v", got)
	}
}

func TestMovedFindingNoNewComment(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("m", scanners.High, "a.go", 3, 3)), Options{})
	e.run(t, e.pub, head2, report(finding("m", scanners.High, "a.go", 6, 6)), Options{})
	if got := len(e.rootComments()); got != 1 {
		t.Errorf("%d comments after the finding moved, want 1", got)
	}
	if got := len(e.s.Reviews(repo, 1)); got != 1 {
		t.Errorf("%d reviews after the finding moved, want 1", got)
	}
}

func TestGoneFindingResolvesThread(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.run(t, e.pub, head1, report(finding("stays", scanners.High, "a.go", 3, 3), finding("goes", scanners.High, "a.go", 4, 4), finding("answered", scanners.High, "a.go", 5, 5)), Options{})
	ids := map[scanners.Fingerprint]int64{}
	for _, c := range e.rootComments() {
		f, _ := templates.ParseMarker(c.Body)
		ids[f] = c.ID
	}
	e.s.AddReply(repo, 1, ids[fp("answered")], "mona", "This is a test key, see the README.")
	answered := e.bodyOf(ids[fp("answered")])

	e.run(t, e.pub, head2, report(finding("stays", scanners.High, "a.go", 3, 3)), Options{})
	if !e.s.ThreadResolved(repo, ids[fp("goes")]) {
		t.Error("the thread of a gone finding is not resolved")
	}
	if e.s.ThreadResolved(repo, ids[fp("stays")]) {
		t.Error("the thread of a remaining finding was resolved")
	}
	if e.s.ThreadResolved(repo, ids[fp("answered")]) || e.bodyOf(ids[fp("answered")]) != answered {
		t.Error("a thread a person replied to was touched")
	}
	// Publishing the same report again resolves nothing more.
	mutations := len(e.s.Calls("graphql"))
	e.run(t, e.pub, head2, report(finding("stays", scanners.High, "a.go", 3, 3)), Options{})
	for _, c := range e.s.Calls("graphql")[mutations:] {
		if strings.Contains(string(c.RequestBody), "resolveReviewThread") {
			t.Errorf("an already resolved thread was resolved again: %s", c.RequestBody)
		}
	}
}

func (e *env) bodyOf(id int64) string {
	for _, c := range e.s.Comments(repo, 1) {
		if c.ID == id {
			return c.Body
		}
	}
	return ""
}

func TestOffDiffFindingIsFileLevel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.run(t, e.pub, head1, report(finding("off", scanners.High, "a.go", 100, 100)), Options{})
	cs := e.rootComments()
	if len(cs) != 1 || cs[0].SubjectType != "file" || cs[0].Line != 0 || cs[0].Path != "a.go" {
		t.Fatalf("comments = %+v, want one file-level comment on a.go", cs)
	}
	if n := len(e.s.Succeeded("pulls/create-review-comment")); n != 1 {
		t.Errorf("file-level comment sent in %d single-comment calls, want 1", n)
	}
	if n := len(e.s.Calls("pulls/create-review")); n != 0 {
		t.Errorf("%d reviews created for a file-level finding only, want 0", n)
	}
	if anns := e.checkRun(t, id).Annotations; len(anns) != 1 || anns[0].StartLine != 100 {
		t.Errorf("annotations = %+v, want the off-diff finding at line 100", anns)
	}
}

func TestFindingOutsideThePullRequestIsListed(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := report(finding("far", scanners.High, "other/file.go", 9, 9))
	e.run(t, e.pub, head1, r, Options{})
	rs := e.s.Reviews(repo, 1)
	if len(rs) != 1 || len(rs[0].CommentIDs) != 0 || !strings.Contains(rs[0].Body, "other/file.go") {
		t.Fatalf("reviews = %+v, want one listing other/file.go in its body", rs)
	}
	e.run(t, e.pub, head2, r, Options{})
	if n := len(e.s.Reviews(repo, 1)); n != 1 {
		t.Errorf("a listed finding was listed again: %d reviews", n)
	}
}

func TestSixtyFindings(t *testing.T) {
	t.Parallel()
	e := setup(t, githubtest.File{Path: "a.go", Status: "modified", Patch: patch(70)})
	var fs []scanners.Finding
	for i := range 60 {
		fs = append(fs, finding(strings.Repeat("k", 1)+string(rune('A'+i)), scanners.Medium, "a.go", 3+i, 3+i))
	}
	id := e.run(t, e.pub, head1, report(fs...), Options{})
	run := e.checkRun(t, id)
	if len(run.Annotations) != 60 {
		t.Errorf("check run has %d annotations, want 60", len(run.Annotations))
	}
	var batches []int
	for _, c := range e.s.Succeeded("checks/update") {
		batches = append(batches, strings.Count(string(c.RequestBody), `"annotation_level"`))
	}
	if len(batches) != 2 || batches[0] != 50 || batches[1] != 10 {
		t.Errorf("annotation batches = %v, want [50 10]", batches)
	}
	rs := e.s.Reviews(repo, 1)
	if len(rs) != 1 || len(rs[0].CommentIDs) != 30 {
		t.Fatalf("reviews = %d, want one with 30 comments", len(rs))
	}
	if got := len(templates.ParseMarkers(rs[0].Body)); got != 30 {
		t.Errorf("review body lists %d findings, want the 30 beyond the cap", got)
	}
}

func TestAbortNeutral(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	id, err := e.pub.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	if run := e.checkRun(t, id); run.Status != "in_progress" {
		t.Errorf("after Begin the check is %s, want in_progress", run.Status)
	}
	if err := e.pub.Abort(ctx, id, target(head1), errors.New("fetch blobs: connection reset")); err != nil {
		t.Fatal(err)
	}
	run := e.checkRun(t, id)
	if run.Conclusion != "neutral" || !strings.Contains(run.Summary, "fetch blobs: connection reset") {
		t.Errorf("aborted check = %s %q, want neutral with the reason", run.Conclusion, run.Summary)
	}
}

func TestBeginReusesOpenRun(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	a, err := e.pub.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.pub.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	if a != b || len(e.s.CheckRuns(repo)) != 1 {
		t.Errorf("Begin twice = %d, %d with %d runs, want the same run", a, b, len(e.s.CheckRuns(repo)))
	}
	if err := e.pub.Publish(ctx, b, target(head1), report(), e.changeSet(t), Options{}); err != nil {
		t.Fatal(err)
	}
	c, err := e.pub.Begin(ctx, target(head1))
	if err != nil {
		t.Fatal(err)
	}
	if c == b {
		t.Error("Begin reused a completed run")
	}
}

func TestSummaryTruncated(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var fs []scanners.Finding
	for i := range 400 {
		f := finding("t"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)), scanners.High, "other/file.go", i+1, i+1)
		f.Message = strings.Repeat("a very long message ", 12)
		fs = append(fs, f)
	}
	id := e.run(t, Multi{NewChecks(StaticClient(e.gh), e.state)}, head1, report(fs...), Options{Summary: templates.SummaryOptions{MaxTop: 400}})
	run := e.checkRun(t, id)
	if n := len([]rune(run.Summary)); n > templates.MaxSummary {
		t.Errorf("summary has %d characters, over %d", n, templates.MaxSummary)
	}
	if !strings.Contains(run.Summary, "more findings not listed here") {
		t.Error("truncated summary does not say findings were left out")
	}
	if len(run.Annotations) != 400 {
		t.Errorf("%d annotations, want all 400", len(run.Annotations))
	}
}

func TestManyFindingsReviewBodyFits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var fs []scanners.Finding
	for i := range 1500 {
		f := finding(fmt.Sprint("many", i), scanners.Low, "other/"+strings.Repeat("deep/", 10)+"file.go", i+1, i+1)
		f.Message = strings.Repeat("long message ", 8)
		fs = append(fs, f)
	}
	r := report(fs...)
	reviews := Multi{NewReviews(StaticClient(e.gh), e.state, nil)}
	e.run(t, reviews, head1, r, Options{})
	rs := e.s.Reviews(repo, 1)
	if len(rs) != 1 || len([]rune(rs[0].Body)) > templates.MaxSummary {
		t.Fatalf("want one review within the body limit, got %d", len(rs))
	}
	if len(templates.ParseListed(rs[0].Body)) == 0 {
		t.Error("the review body hid no ids although 1,500 findings cannot be listed")
	}
	e.run(t, reviews, head2, r, Options{})
	if n := len(e.s.Reviews(repo, 1)); n != 1 {
		t.Errorf("findings hidden in the first review were posted again: %d reviews", n)
	}
}

func TestAbortWithoutBegin(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if err := e.pub.Abort(context.Background(), 0, target(head1), errors.New("installation token refused")); err != nil {
		t.Fatal(err)
	}
	runs := e.s.CheckRuns(repo)
	if len(runs) != 1 || runs[0].Conclusion != "neutral" || runs[0].HeadSHA != head1 {
		t.Errorf("check runs after Abort(0) = %+v, want one neutral run on the head", runs)
	}
}

func TestBeginGetFailsIsAnError(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	if _, err := e.pub.Begin(ctx, target(head1)); err != nil {
		t.Fatal(err)
	}
	e.s.InjectFault("GET", "checks/get", githubtest.Fault{Status: 503})
	_, err := e.pub.Begin(ctx, target(head1))
	if retry, _ := Retryable(err); !retry {
		t.Errorf("Begin() while GitHub answers 503 = %v, want a retryable error", err)
	}
	if n := len(e.s.CheckRuns(repo)); n != 1 {
		t.Errorf("%d check runs, want 1 (no second run opened on a transient error)", n)
	}
}

// With the bot's login known, markers count only in that user's
// comments: the fake posts as picket[bot], so a publisher told another
// login must not trust them, and one told the right login must.
func TestMarkersTrustedOnlyFromBot(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		bot      string
		comments int
	}{{"picket[bot]", 1}, {"impostor", 2}} {
		t.Run(c.bot, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			r := report(finding("a", scanners.High, "a.go", 3, 3))
			e.run(t, e.pub, head1, r, Options{})
			pub := Multi{NewReviews(StaticClient(e.gh), &MemState{}, nil, WithBotLogin(c.bot))}
			e.run(t, pub, head1, r, Options{})
			if got := len(e.rootComments()); got != c.comments {
				t.Errorf("WithBotLogin(%q): %d comments after a second publish with an empty store, want %d", c.bot, got, c.comments)
			}
		})
	}
}

// An attempt of a job whose earlier attempt completed the run (a crash
// before River recorded the job done) reuses that run and changes nothing
// on it; another job (a Re-run) gets a new run.
func TestRetriedJobKeepsItsCompletedRun(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	job7 := target(head1)
	job7.Job = 7
	first, err := e.pub.Begin(ctx, job7)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Publish(ctx, first, job7, report(finding("a", scanners.High, "app/config.py", 2, 2)), e.changeSet(t), Options{}); err != nil {
		t.Fatal(err)
	}
	updates := len(e.s.Calls("checks/update"))
	again, err := e.pub.Begin(ctx, job7)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("the retried job's Begin = run %d, want its completed run %d", again, first)
	}
	if err := e.pub.Publish(ctx, again, job7, report(finding("a", scanners.High, "app/config.py", 2, 2)), e.changeSet(t), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Abort(ctx, again, job7, context.Canceled); err != nil {
		t.Fatal(err)
	}
	if got := len(e.s.Calls("checks/update")); got != updates {
		t.Errorf("the completed run was updated %d more times", got-updates)
	}
	if run := e.checkRun(t, first); run.Conclusion != "failure" || len(e.s.CheckRuns(repo)) != 1 {
		t.Errorf("run %+v with %d runs; want the one failure run", run, len(e.s.CheckRuns(repo)))
	}
	rerun := target(head1)
	rerun.Job = 8
	if id, err := e.pub.Begin(ctx, rerun); err != nil || id == first {
		t.Errorf("a new job's Begin = %d, %v; want a new run", id, err)
	}
}

// An attempt that died between creating the run and storing its id: the
// job's retry finds the run by its external_id instead of opening a
// second, and a superseded head's open run is closed even with no id
// stored.
func TestRunWhoseIDWasNotStored(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	job := target(head1)
	job.Job = 9
	first, err := e.publishers(&MemState{}).Begin(ctx, job) // its state is then lost
	if err != nil {
		t.Fatal(err)
	}
	retry := job
	retry.Retry = true
	got, err := e.publishers(&MemState{}).Begin(ctx, retry)
	if err != nil {
		t.Fatal(err)
	}
	if got != first || len(e.s.CheckRuns(repo)) != 1 {
		t.Errorf("retry's Begin = run %d with %d runs, want run %d reused", got, len(e.s.CheckRuns(repo)), first)
	}
	if err := e.publishers(&MemState{}).CloseOpen(ctx, target(head1), "Superseded by a newer commit", "stopped"); err != nil {
		t.Fatal(err)
	}
	if run := e.checkRun(t, first); run.Status != "completed" || run.Conclusion != "neutral" {
		t.Errorf("run %s/%s after CloseOpen with no stored id, want completed/neutral", run.Status, run.Conclusion)
	}
}

// meetPub is a publisher whose Publish waits, up to a few seconds, for
// every member of its group to be publishing too, then fails with err.
type meetPub struct {
	arrived *atomic.Int32
	group   int32
	err     error
}

func (meetPub) Begin(context.Context, Target) (RunID, error)      { return 0, nil }
func (meetPub) Abort(context.Context, RunID, Target, error) error { return nil }

func (m meetPub) Publish(context.Context, RunID, Target, *scanners.Report, *diff.ChangeSet, Options) error {
	m.arrived.Add(1)
	for deadline := time.Now().Add(5 * time.Second); m.arrived.Load() < m.group; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return errors.New("published alone: the others waited for it")
		}
	}
	return m.err
}

// TestMultiPublishesAtOnce: the check run's update and the review do
// not wait for each other, and both errors come back in order.
func TestMultiPublishesAtOnce(t *testing.T) {
	var n atomic.Int32
	m := Multi{meetPub{&n, 2, errors.New("check failed")}, meetPub{&n, 2, errors.New("review failed")}}
	err := m.Publish(context.Background(), 1, Target{}, &scanners.Report{}, &diff.ChangeSet{}, Options{})
	if err == nil || err.Error() != "check failed\nreview failed" {
		t.Errorf("Publish = %v; want both members' errors, in order, after meeting", err)
	}
}
