package reconcile

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

const (
	appID  = 42
	instID = 7
	owner  = "octo-org"
	name   = "hello"
	repo   = owner + "/" + name
	secret = "s3cret"
)

// env is the fake GitHub with one app, installation and repository, a
// store on SQLite, and the app's client factory pointed at the fake.
type env struct {
	fake    *githubtest.Server
	st      *store.Store
	clients *gh.ClientFactory
	recv    *receiver
	// webhookURL is the receiver's URL, set on the fake as the app's.
	webhookURL string

	mu    sync.Mutex
	waits []time.Duration // backoff the clients asked for
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, storetest.SQLiteURL(t))
}

// newEnvOn is newEnv with the store at url.
func newEnvOn(t *testing.T, url string) *env {
	t.Helper()
	fake := githubtest.New(t)
	key, pemBytes := githubtest.GenerateAppKey(t)
	fake.AddApp(appID, &key.PublicKey)
	fake.AddInstallation(githubtest.Installation{ID: instID, AppID: appID, Account: owner})
	fake.AddRepo(githubtest.Repo{Owner: owner, Name: name, InstallationID: instID})
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{fake: fake}
	// Backoff is recorded, not slept: the fake's rate-limit resets are a
	// minute away.
	f, err := gh.New(appID, pemBytes, gh.WithBaseURL(fake.BaseURL()), gh.WithSleeper(func(ctx context.Context, d time.Duration) error {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.waits = append(e.waits, d)
		return ctx.Err()
	}))
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{st: st}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	e.webhookURL = srv.URL + "/webhook"
	fake.SetWebhook(e.webhookURL, secret)
	e.st, e.clients, e.recv = st, f, rc
	return e
}

// receiver stands in for the app's webhook endpoint. Each attempt takes
// the next answer from its plan (ok once the plan is used up): ok records
// the delivery in the store as the app does and answers 202; fail
// answers 500 without recording; recordFail records and still answers
// 500 (a reply lost after the commit).
type receiver struct {
	st *store.Store

	mu   sync.Mutex
	plan []answer
	got  []string
}

type answer int

const (
	ok answer = iota
	fail
	recordFail
)

// will appends answers to the plan.
func (rc *receiver) will(as ...answer) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.plan = append(rc.plan, as...)
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	guid := r.Header.Get("X-GitHub-Delivery")
	rc.mu.Lock()
	rc.got = append(rc.got, guid)
	a := ok
	if len(rc.plan) > 0 {
		a, rc.plan = rc.plan[0], rc.plan[1:]
	}
	rc.mu.Unlock()
	if a == fail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	err := rc.st.InTx(r.Context(), func(tx store.Tx) error {
		_, err := rc.st.InsertDelivery(r.Context(), tx, store.DeliveryRow{ID: guid, Event: r.Header.Get("X-GitHub-Event"), ReceivedAt: time.Now()})
		return err
	})
	if err != nil || a == recordFail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (rc *receiver) received() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.got...)
}

// send delivers a pull_request opened event through the fake.
func (e *env) send(t *testing.T, pr int) githubtest.DeliveryResult {
	t.Helper()
	body := e.fake.Webhooks().Payload("pull_request", "opened", githubtest.WebhookPatch{
		InstallationID: instID, Repo: repo, PR: pr, HeadSHA: sha(pr), BaseSHA: sha(0)})
	res, err := e.fake.SendWebhook(context.Background(), "pull_request", body)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sha is a made-up 40-hex head SHA for pull request n.
func sha(n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 40)
	for i := range b {
		b[i] = hex[(n+i)%16]
	}
	return string(b)
}

// installationClient is a go-github client of the installation, for
// setting up check runs as another app would.
func (e *env) installationClient(t *testing.T) *github.Client {
	t.Helper()
	c, err := e.clients.Installation(context.Background(), instID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enqueued records what the sweep enqueues.
type enqueued struct {
	mu   sync.Mutex
	args []river.JobArgs
}

func (q *enqueued) InsertTx(_ context.Context, tx store.Tx, args river.JobArgs) (bool, error) {
	if tx == nil {
		panic("InsertTx without a transaction")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.args = append(q.args, args)
	return true, nil
}
