package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/server/logkey"
	"github.com/picketsec/picket/diff/gittest"
)

const (
	e2eOwner = "octo-org"
	e2eName  = "hello"
	e2eRepo  = e2eOwner + "/" + e2eName
	e2eInst  = 7
	e2eApp   = 42
)

// world is the whole server path on loopback: a real git repository
// served by git http-backend, a fake GitHub holding the same repository,
// and the production server (webhook handler, River on SQLite, the
// default pipeline and publishers) taking signed deliveries over HTTP.
type world struct {
	t      testing.TB
	git    *gittest.Repo
	gitSrv *gittest.Server
	fake   *githubtest.Server
	hooks  *githubtest.Webhooks
	srv    *Server
	url    string // the server's base URL
	base   string // the base commit
	done   *jobSignal
	logs   *syncBuffer

	mu      sync.Mutex
	changed map[int]int // pull request → its files at the last push
}

type worldOptions struct {
	fake []githubtest.Option
	// poll is the queue's poll interval; 0 keeps the production default
	// (benchmarks), tests use 20 ms.
	poll time.Duration
}

func newWorld(t testing.TB, baseFiles map[string]string, wo worldOptions) *world {
	t.Helper()
	w := &world{t: t, git: gittest.NewRepo(t, ""), logs: &syncBuffer{}, done: &jobSignal{ch: make(chan string, 64)}, changed: map[int]int{}}
	w.base = w.git.Commit("base", baseFiles)
	w.git.Branch("feature")
	w.gitSrv = gittest.Serve(t, w.git)

	w.fake = githubtest.New(t, wo.fake...)
	key, pemBytes := githubtest.GenerateAppKey(t)
	w.fake.AddApp(e2eApp, &key.PublicKey)
	w.fake.AddInstallation(githubtest.Installation{ID: e2eInst, AppID: e2eApp, Account: e2eOwner})
	w.fake.AddRepo(githubtest.Repo{Owner: e2eOwner, Name: e2eName, InstallationID: e2eInst})
	w.fake.AddCommit(e2eRepo, w.base, "main", baseFiles)
	w.hooks = githubtest.LoadWebhooks(t, "")

	cfg := baseConfig(t)
	cfg.AppID, cfg.PrivateKey, cfg.WebhookSecret, cfg.GitHubURL = e2eApp, pemBytes, testSecret, w.fake.BaseURL()
	log := slog.New(teeHandler{Handler: slog.NewJSONHandler(w.logs, nil), done: w.done})
	opts := []Option{WithPipelineOptions(pipeline.WithCloneURL(func(string, string) string { return w.gitSrv.URL }))}
	if wo.poll > 0 {
		opts = append(opts, WithPollInterval(wo.poll))
	}
	s, err := New(context.Background(), cfg, log, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	w.srv, w.url = s, "http://"+ln.Addr().String()
	return w
}

// settle waits until River has recorded every job as finished: its
// completer writes a job's state shortly after the worker returns, and
// until then a scan of the same head is a duplicate of the running one.
func (w *world) settle() {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		err := w.srv.st.DB.QueryRowContext(context.Background(),
			"SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&n)
		if err != nil {
			w.t.Fatalf("count unfinished jobs: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%d jobs still unfinished", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// jobSignal receives the head SHA of every scan job the worker logs as
// done, so a test or benchmark waits for exactly the job it caused
// instead of polling.
type jobSignal struct {
	mu     sync.Mutex
	n      int
	failed int
	ch     chan string
}

func (j *jobSignal) count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// teeHandler passes records to the wrapped handler and reports "scan
// job done" (and "scan job failed", so a waiter sees the failure instead
// of timing out) to done with the head SHA the worker's logger carries.
type teeHandler struct {
	slog.Handler
	done *jobSignal
	sha  string // logkey.HeadSHA from WithAttrs
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "scan job done" || r.Message == "scan job failed" {
		sha := h.sha
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == logkey.HeadSHA {
				sha = a.Value.String()
			}
			return true
		})
		h.done.mu.Lock()
		h.done.n++
		if r.Message == "scan job failed" {
			h.done.failed++
		}
		h.done.mu.Unlock()
		select {
		case h.done.ch <- sha:
		default:
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	sha := h.sha
	for _, a := range as {
		if a.Key == logkey.HeadSHA {
			sha = a.Value.String()
		}
	}
	return teeHandler{h.Handler.WithAttrs(as), h.done, sha}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{h.Handler.WithGroup(name), h.done, h.sha}
}

// waitJob waits for the next scan job of head to finish.
func (w *world) waitJob(head string) {
	w.t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case sha := <-w.done.ch:
			if sha != head {
				continue
			}
			w.done.mu.Lock()
			failed := w.done.failed
			w.done.mu.Unlock()
			if failed > 0 {
				w.t.Fatalf("a scan job failed; logs:\n%s", w.logs.String())
			}
			return
		case <-timeout:
			w.t.Fatalf("no scan job of %.12s finished; logs:\n%s", head, w.logs.String())
		}
	}
}

// push commits files on the feature branch and makes pull request pr on
// the fake show the real diff between the base and the new head.
// headRepo names a fork ("" for a branch of the same repository). One
// git diff and one ls-tree serve any number of files.
func (w *world) push(pr int, headRepo string, files map[string]string) string {
	w.t.Helper()
	head := w.git.Commit("push", files)
	blobs := map[string]string{}
	for _, line := range strings.Split(w.git.Git("ls-tree", "-r", head), "\n") {
		meta, path, ok := strings.Cut(line, "\t")
		if f := strings.Fields(meta); ok && len(f) == 3 {
			blobs[path] = f[2]
		}
	}
	var pf []githubtest.File
	// --output: Git trims its output, which would cut a trailing blank
	// context line off the last patch.
	out := filepath.Join(w.t.TempDir(), "diff")
	w.git.Git("diff", "--no-renames", "--output="+out, w.base, head)
	raw, err := os.ReadFile(out)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, part := range strings.Split(string(raw), "diff --git ")[1:] {
		f := githubtest.File{Status: "modified"}
		for _, line := range strings.Split(part[:strings.Index(part, "@@")], "\n") {
			switch {
			case strings.HasPrefix(line, "new file mode"):
				f.Status = "added"
			case strings.HasPrefix(line, "deleted file mode"):
				f.Status = "removed"
			case strings.HasPrefix(line, "+++ b/"):
				f.Path = strings.TrimPrefix(line, "+++ b/")
			case strings.HasPrefix(line, "--- a/") && f.Path == "":
				f.Path = strings.TrimPrefix(line, "--- a/")
			}
		}
		f.Patch = part[strings.Index(part, "@@"):]
		if f.Status != "removed" {
			f.SHA = blobs[f.Path]
		}
		pf = append(pf, f)
	}
	w.fake.AddPullRequest(e2eRepo, githubtest.PR{Number: pr, HeadSHA: head, BaseSHA: w.base, HeadRepo: headRepo, Files: pf})
	w.mu.Lock()
	defer w.mu.Unlock()
	w.changed[pr] = len(pf)
	return head
}

// payload builds a signed-ready payload of event/file; edit, if set,
// changes the decoded JSON before it is encoded again.
func (w *world) payload(event, file string, p githubtest.WebhookPatch, edit func(map[string]any)) []byte {
	w.t.Helper()
	p.InstallationID, p.Repo = e2eInst, e2eRepo
	if p.ChangedFiles == 0 && event == "pull_request" {
		w.mu.Lock()
		p.ChangedFiles = w.changed[p.PR] // as GitHub reports it
		w.mu.Unlock()
	}
	body := w.hooks.Payload(event, file, p)
	if edit == nil {
		return body
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		w.t.Fatal(err)
	}
	edit(m)
	body, err := json.Marshal(m)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.hooks.Validate(event, body); err != nil {
		w.t.Fatalf("edited %s/%s payload breaks GitHub's schema: %v", event, file, err)
	}
	return body
}

// deliver posts a signed delivery and wants 202.
func (w *world) deliver(event string, body []byte) {
	w.t.Helper()
	res, err := githubtest.Deliver(context.Background(), w.url+"/webhook", testSecret, event, body)
	if err != nil || res.Status != http.StatusAccepted {
		w.t.Fatalf("deliver %s: %v %d %s", event, err, res.Status, res.Body)
	}
}

// opened delivers pull_request opened for pr at head.
func (w *world) opened(pr int, headRepo, head string) {
	w.t.Helper()
	w.deliver("pull_request", w.payload("pull_request", "opened", githubtest.WebhookPatch{
		PR: pr, HeadSHA: head, BaseSHA: w.base, HeadRepo: headRepo}, nil))
}

// runs are the fake's check runs of head.
func (w *world) runs(head string) []githubtest.CheckRun {
	var out []githubtest.CheckRun
	for _, c := range w.fake.CheckRuns(e2eRepo) {
		if c.HeadSHA == head {
			out = append(out, c)
		}
	}
	return out
}

// leakyFile is a Python file of n lines, each assigning a different
// valid token.
func leakyFile(r *rand.Rand, n int) (string, []string) {
	var b strings.Builder
	var toks []string
	for i := range n {
		tok := githubtest.ClassicPAT(r)
		toks = append(toks, tok)
		fmt.Fprintf(&b, "TOKEN_%03d = %q\n", i, tok)
	}
	return b.String(), toks
}

// TestManyFindingsThroughTheServer sends 60 findings through the whole
// server path: the check run gets its annotations in two requests (the
// fake rejects more than 50 in one), the review carries 30 inline
// comments and lists the other 30 in its body, and no token is echoed.
func TestManyFindingsThroughTheServer(t *testing.T) {
	w := newWorld(t, map[string]string{"app/settings.py": "NAME = \"svc\"\n"}, worldOptions{poll: 20 * time.Millisecond})
	content, toks := leakyFile(rand.New(rand.NewPCG(60, 60)), 60)
	head := w.push(1, "", map[string]string{"app/settings.py": "NAME = \"svc\"\n" + content})
	w.opened(1, "", head)
	w.waitJob(head)

	runs := w.runs(head)
	if len(runs) != 1 || runs[0].Status != "completed" || runs[0].Conclusion != "failure" {
		t.Fatalf("check runs of head: %+v, want one completed with failure", runs)
	}
	if n := len(runs[0].Annotations); n != 60 {
		t.Errorf("annotations = %d, want 60", n)
	}
	var batches []int
	for _, c := range w.fake.Succeeded("checks/update") {
		var req struct {
			Output struct {
				Annotations []json.RawMessage `json:"annotations"`
			} `json:"output"`
		}
		if err := json.Unmarshal(c.RequestBody, &req); err != nil {
			t.Fatal(err)
		}
		batches = append(batches, len(req.Output.Annotations))
	}
	if fmt.Sprint(batches) != "[50 10]" {
		t.Errorf("annotation batches = %v, want [50 10]", batches)
	}

	reviews := w.fake.Reviews(e2eRepo, 1)
	if len(reviews) != 1 {
		t.Fatalf("reviews = %d, want 1", len(reviews))
	}
	comments := w.fake.Comments(e2eRepo, 1)
	if len(comments) != 30 {
		t.Errorf("inline comments = %d, want the cap of 30", len(comments))
	}
	body := reviews[0].Body
	if !strings.Contains(body, "Only 30 comments are posted inline") {
		t.Errorf("review body does not say the rest is listed:\n%s", body)
	}
	// Every finding is on the pull request exactly once: inline, or
	// listed in the body with its fingerprint marker.
	listed := strings.Count(body, "picket:fp=")
	if listed != 30 {
		t.Errorf("findings listed in the review body = %d, want 30", listed)
	}
	lines := map[int]bool{}
	for _, c := range comments {
		if c.Path != "app/settings.py" || c.Side != "RIGHT" || lines[c.Line] {
			t.Errorf("comment at %s:%d %s (duplicate line: %v)", c.Path, c.Line, c.Side, lines[c.Line])
		}
		lines[c.Line] = true
	}
	texts := []string{body, runs[0].Summary, runs[0].Text, w.logs.String()}
	for _, c := range comments {
		texts = append(texts, c.Body)
	}
	for _, a := range runs[0].Annotations {
		texts = append(texts, a.Message, a.Title, a.RawDetails)
	}
	for _, tok := range toks {
		for _, s := range texts {
			if strings.Contains(s, tok) {
				t.Fatalf("a whole token is echoed in %q", s)
			}
		}
	}
}
