package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/diff/gittest"
)

const (
	appID     = 42
	owner     = "octo-org"
	hookToken = "e2e-webhook-secret"
)

// world is the outside of the processes under test, all in the test
// process on loopback: the fake GitHub, one real git server per
// repository, the pull requests with planted findings, and a webhook
// router in front of the processes.
type world struct {
	t       testing.TB
	fake    *githubtest.Server
	hooks   *githubtest.Webhooks
	keyFile string
	rng     *rand.Rand
	router  *router
	repos   []*repo
	prs     []*pull
	tokens  []string // every token planted, none of which may be echoed
}

// repo is one repository: its installation, git repository and server.
type repo struct {
	name string // owner/name
	inst int64
	git  *gittest.Repo
	srv  *gittest.Server
	base string
}

// pull is one pull request and every head pushed to it, oldest first.
type pull struct {
	repo    *repo
	number  int
	heads   []string
	planted []bool   // whether heads[i] adds a live token
	bodies  [][]byte // the payloads sent, in order (for redeliveries)
	content string   // the file at the latest head
	shown   bool     // on the fake (from the opened delivery on)
}

// latest is the current head and whether it carries a finding.
func (p *pull) latest() (string, bool) { return p.heads[len(p.heads)-1], p.planted[len(p.planted)-1] }

// newWorld makes installations repositories of prsPerRepo pull requests
// each, every pull request with one pushed head (a token in every other
// one). The fake shows a pull request from show on (its opened delivery):
// before, a process's start-up sweep must not see it. Installations are one per repository, so the app's
// per-installation fairness does not serialise the whole test.
func newWorld(t testing.TB, installations, prsPerRepo int, fakeOpts ...githubtest.Option) *world {
	t.Helper()
	w := &world{t: t, fake: githubtest.New(t, fakeOpts...), rng: rand.New(rand.NewPCG(6, 6))}
	w.hooks = w.fake.Webhooks()
	key, pemBytes := githubtest.GenerateAppKey(t)
	w.keyFile = filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(w.keyFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	w.fake.AddApp(appID, &key.PublicKey)
	w.followRealTime()
	w.router = newRouter(t)
	w.fake.SetWebhook(w.router.srv.URL+"/webhook", hookToken)
	for i := range installations {
		inst := int64(100 + i)
		acct := fmt.Sprintf("%s-%d", owner, i)
		w.fake.AddInstallation(githubtest.Installation{ID: inst, AppID: appID, Account: acct})
		r := &repo{name: acct + "/svc", inst: inst, git: gittest.NewRepo(t, "")}
		baseFiles := map[string]string{"README.md": "# svc\n"}
		r.base = r.git.Commit("base", baseFiles)
		r.srv = gittest.Serve(t, r.git)
		w.fake.AddRepo(githubtest.Repo{Owner: acct, Name: "svc", InstallationID: inst, CloneURL: r.srv.URL})
		w.fake.AddCommit(r.name, r.base, "main", baseFiles)
		w.repos = append(w.repos, r)
		for n := 1; n <= prsPerRepo; n++ {
			p := &pull{repo: r, number: n}
			w.push(p, len(w.prs)%2 == 0)
			w.prs = append(w.prs, p)
		}
	}
	return w
}

// followRealTime moves the fake's clock with the real one, so the
// secondary rate limit's minute passes for processes that cannot see the
// fake clock.
func (w *world) followRealTime() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				if now.After(w.fake.Clock().Now()) {
					w.fake.Clock().Set(now)
				}
			}
		}
	}()
	w.t.Cleanup(func() { cancel(); <-done })
}

// push commits a new head on the pull request's branch, its file with a
// live token (planted) or without. A pull request already shown on the
// fake shows the new head at once, as a push to GitHub does.
func (w *world) push(p *pull, planted bool) string {
	w.t.Helper()
	r := p.repo
	branch := fmt.Sprintf("pr-%d", p.number)
	if len(p.heads) == 0 {
		r.git.Git("checkout", "-q", "-B", branch, r.base)
	} else {
		r.git.Git("checkout", "-q", branch)
	}
	// The repository's name keeps head SHAs unique across repositories,
	// so a head names one job in the processes' logs.
	content := fmt.Sprintf("NAME = \"%s-%d\"\nREVISION = %d\n", r.name, p.number, len(p.heads))
	if planted {
		tok := githubtest.ClassicPAT(w.rng)
		w.tokens = append(w.tokens, tok)
		content = fmt.Sprintf("GITHUB_TOKEN = %q\n", tok) + content
	}
	head := r.git.Commit(fmt.Sprintf("push %d to #%d", len(p.heads), p.number), map[string]string{p.path(): content})
	p.heads, p.planted, p.content = append(p.heads, head), append(p.planted, planted), content
	if p.shown {
		w.show(p)
	}
	return head
}

// path is the one file the pull request adds.
func (p *pull) path() string { return fmt.Sprintf("svc/handler_%03d.py", p.number) }

// show makes the fake hold the pull request at its latest head, with the
// diff git would show from the base: the file added whole (built here
// rather than by running git diff, which would double the git processes
// the world starts).
func (w *world) show(p *pull) {
	head, _ := p.latest()
	lines := strings.Split(strings.TrimSuffix(p.content, "\n"), "\n")
	patch := fmt.Sprintf("@@ -0,0 +1,%d @@\n+%s", len(lines), strings.Join(lines, "\n+"))
	w.fake.AddPullRequest(p.repo.name, githubtest.PR{Number: p.number, HeadSHA: head, BaseSHA: p.repo.base,
		HeadRef: fmt.Sprintf("pr-%d", p.number),
		Files:   []githubtest.File{{Path: p.path(), Status: "added", Patch: patch, SHA: githubtest.BlobSHA([]byte(p.content))}}})
	p.shown = true
}

// payload is the pull_request webhook of action ("opened",
// "synchronize") for the pull request's current head.
func (w *world) payload(p *pull, action string) []byte {
	head, _ := p.latest()
	return w.hooks.Payload("pull_request", action, githubtest.WebhookPatch{
		InstallationID: p.repo.inst, Repo: p.repo.name, PR: p.number, HeadSHA: head, BaseSHA: p.repo.base,
		HeadRef: fmt.Sprintf("pr-%d", p.number)})
}

// env is the environment of a process on database.
func (w *world) env(gw *gateway, database string, extra map[string]string) []string {
	return replicaEnv{appID: appID, keyFile: w.keyFile, secret: hookToken, githubURL: gw.URL(),
		database: database, extra: extra, home: w.t.TempDir()}.list()
}

// router is the app's webhook URL as GitHub sees it: a load balancer
// sending each delivery to the next live process in turn.
type router struct {
	srv    *httptest.Server
	client *http.Client

	mu     sync.Mutex
	next   int
	target []*replica
	dead   map[*replica]bool
	failed map[*replica]int // deliveries that could not reach the process
}

func newRouter(t testing.TB) *router {
	rt := &router{client: &http.Client{Transport: &http.Transport{Proxy: nil}}, dead: map[*replica]bool{}, failed: map[*replica]int{}}
	rt.srv = httptest.NewServer(rt)
	t.Cleanup(rt.srv.Close)
	return rt
}

// Set replaces the processes deliveries go to.
func (rt *router) Set(rs ...*replica) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.target, rt.dead = rs, map[*replica]bool{}
}

// Down takes a process out of the rotation, as a load balancer's health
// check would (deliveries already on their way to it fail).
func (rt *router) Down(r *replica) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.dead[r] = true
}

// Failed counts the deliveries that could not reach r.
func (rt *router) Failed(r *replica) int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.failed[r]
}

func (rt *router) pick() *replica {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for range rt.target {
		r := rt.target[rt.next%len(rt.target)]
		rt.next++
		if !rt.dead[r] {
			return r
		}
	}
	return nil
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "router: "+err.Error(), http.StatusBadGateway)
		return
	}
	to := rt.pick()
	if to == nil {
		http.Error(w, "router: no live process", http.StatusBadGateway)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, to.url+"/webhook", bytes.NewReader(body))
	if err != nil {
		http.Error(w, "router: "+err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	res, err := rt.client.Do(req)
	if err != nil {
		rt.mu.Lock()
		rt.failed[to]++
		rt.mu.Unlock()
		http.Error(w, "router: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = io.Copy(w, res.Body)
}
