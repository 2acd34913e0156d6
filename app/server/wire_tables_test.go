package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// The production wiring keeps the ids it posted in the database: after a
// scan, the check run and the review comment are recorded by head and by
// fingerprint, where a retried job on any replica finds them. On
// PostgreSQL the scanned file's result is in the shared cache too.
func TestPublishedIDsAreStored(t *testing.T) {
	storetest.ForEach(t, testPublishedIDsAreStored)
}

func testPublishedIDsAreStored(t *testing.T, dbURL string) {
	const repo = leakRepo
	ctx := context.Background()
	l := newLeakPR(t)
	fake, base, head, gitSrv := l.fake, l.base, l.head, l.gitSrv
	cfg, pemBytes := baseConfig(t), l.pem
	cfg.DatabaseURL = dbURL
	cfg.AppID, cfg.PrivateKey, cfg.WebhookSecret, cfg.GitHubURL = 42, pemBytes, testSecret, fake.BaseURL()
	r := start(t, cfg, WithPipelineOptions(pipeline.WithCloneURL(func(string, string) string { return gitSrv.URL })))

	body := githubtest.LoadWebhooks(t, "").Payload("pull_request", "opened", githubtest.WebhookPatch{
		InstallationID: 7, Repo: repo, PR: 1, HeadSHA: head, BaseSHA: base})
	res, err := githubtest.Deliver(ctx, r.url+"/webhook", testSecret, "pull_request", body)
	if err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("delivery: %v %d %s", err, res.Status, res.Body)
	}
	eventually(t, func() bool { return strings.Contains(r.logs.String(), "scan job done") })
	runs := fake.CheckRuns(repo)
	comments := fake.Comments(repo, 1)
	if len(runs) != 1 || len(comments) != 1 {
		t.Fatalf("GitHub has %d check runs and %d comments, want 1 and 1", len(runs), len(comments))
	}
	if id, ok, err := r.s.st.CheckRun(ctx, repo, head); err != nil || !ok || id != runs[0].ID {
		t.Errorf("stored check run = %d, %v, %v; want %d", id, ok, err, runs[0].ID)
	}
	stored, err := r.s.st.Comments(ctx, repo, 1)
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored comments = %v, %v; want one", stored, err)
	}
	for fp, id := range stored {
		if id != comments[0].ID || !strings.Contains(comments[0].Body, fp.Short()) {
			t.Errorf("stored comment %s → %d; GitHub's is %d and should name the short id", fp.Short(), id, comments[0].ID)
		}
	}
	var cached int
	if err := r.s.st.QueryRow(ctx, `SELECT COUNT(*) FROM picket_result_cache WHERE path = ?`, "app/config.py").Scan(&cached); err != nil {
		t.Fatal(err)
	}
	if want := map[store.Dialect]int{store.SQLite: 0, store.Postgres: 1}[r.s.st.Dialect]; cached != want {
		t.Errorf("%d rows of app/config.py in the database cache, want %d", cached, want)
	}
}

// The database result cache serves PostgreSQL's replicas; SQLite's one
// process keeps the in-memory LRU.
func TestCacheOptionsByDialect(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		s := &Server{st: st, log: NewLogger(&syncBuffer{}, "json")}
		want := 0
		if st.Dialect == store.Postgres {
			want = 1
		}
		if got := len(s.cacheOptions()); got != want {
			t.Errorf("%d cache options on %v, want %d", got, st.Dialect, want)
		}
		if s.publishState() == nil {
			t.Error("no publish state")
		}
	})
}
