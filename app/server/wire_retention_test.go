package server

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

func TestLoadConfigRetention(t *testing.T) {
	file := filepath.Join(t.TempDir(), "picket.yml")
	if err := os.WriteFile(file, []byte("retention_days: \"30\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		file    string
		want    int
		wantErr bool
	}{
		{name: "default", want: DefaultRetentionDays},
		{name: "file", file: file, want: 30},
		{name: "env over file", env: map[string]string{EnvRetentionDays: "7"}, file: file, want: 7},
		{name: "zero disables", env: map[string]string{EnvRetentionDays: "0"}, want: 0},
		{name: "not a number", env: map[string]string{EnvRetentionDays: "90d"}, wantErr: true},
		{name: "negative", env: map[string]string{EnvRetentionDays: "-1"}, wantErr: true},
		{name: "beyond a duration", env: map[string]string{EnvRetentionDays: "999999999"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig(envOf(tc.env), tc.file)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), EnvRetentionDays) {
					t.Fatalf("LoadConfig = %v, want an error naming %s", err, EnvRetentionDays)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RetentionDays != tc.want {
				t.Errorf("RetentionDays = %d, want %d", c.RetentionDays, tc.want)
			}
		})
	}
}

func TestRetentionPolicy(t *testing.T) {
	if p := retentionPolicy(0); p.Enabled() {
		t.Errorf("retentionPolicy(0) = %+v, want nothing pruned", p)
	}
	p := retentionPolicy(3)
	want := store.RetentionPolicy{Deliveries: store.DefaultDeliveryRetention, ClosedPRs: 72 * time.Hour, CheckRuns: 72 * time.Hour}
	if p != want {
		t.Errorf("retentionPolicy(3) = %+v, want %+v (deliveries never below GitHub's redelivery window)", p, want)
	}
}

// oldAndYoungRows writes, at now, a delivery, a closed pull request with
// a comment and a check run both long past the default retention, and
// the same three kinds of rows recent; it returns a function counting
// the rows left of each (old, young).
// retentionFixture opens the store at url, closed when the test ends, and
// fills it with oldAndYoungRows as of a fixed now.
func retentionFixture(t *testing.T, url string) (*store.Store, time.Time, func() (old, young int)) {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	return st, now, oldAndYoungRows(t, st, now)
}

func oldAndYoungRows(t *testing.T, st *store.Store, now time.Time) func() (old, young int) {
	t.Helper()
	ctx := context.Background()
	long, short := now.Add(-200*24*time.Hour).UnixMilli(), now.Add(-time.Hour).UnixMilli()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO picket_delivery (id, event, action, installation_id, received_at) VALUES (?, 'pull_request', 'opened', 7, ?)`, []any{"old", long}},
		{`INSERT INTO picket_delivery (id, event, action, installation_id, received_at) VALUES (?, 'pull_request', 'opened', 7, ?)`, []any{"young", short}},
		{`INSERT INTO picket_pr_head (repo, pr, head_sha, updated_at) VALUES ('o/r', 1, '', ?)`, []any{long}},
		{`INSERT INTO picket_pr_head (repo, pr, head_sha, updated_at) VALUES ('o/r', 2, '', ?)`, []any{short}},
		{`INSERT INTO picket_comment (repo, pr, fingerprint, comment_id, updated_at) VALUES ('o/r', 1, 'fp', 1, ?)`, []any{short}},
		{`INSERT INTO picket_comment (repo, pr, fingerprint, comment_id, updated_at) VALUES ('o/r', 2, 'fp', 1, ?)`, []any{short}},
		{`INSERT INTO picket_check_run (repo, head_sha, run_id, updated_at) VALUES ('o/r', 'old', 1, ?)`, []any{long}},
		{`INSERT INTO picket_check_run (repo, head_sha, run_id, updated_at) VALUES ('o/r', 'young', 1, ?)`, []any{short}},
	} {
		if _, err := st.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		var n int
		if err := st.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return func() (old, young int) {
		old = count(`SELECT COUNT(*) FROM picket_delivery WHERE id = 'old'`) +
			count(`SELECT COUNT(*) FROM picket_pr_head WHERE pr = 1`) +
			count(`SELECT COUNT(*) FROM picket_comment WHERE pr = 1`) +
			count(`SELECT COUNT(*) FROM picket_check_run WHERE head_sha = 'old'`)
		young = count(`SELECT COUNT(*) FROM picket_delivery WHERE id = 'young'`) +
			count(`SELECT COUNT(*) FROM picket_pr_head WHERE pr = 2`) +
			count(`SELECT COUNT(*) FROM picket_comment WHERE pr = 2`) +
			count(`SELECT COUNT(*) FROM picket_check_run WHERE head_sha = 'young'`)
		return old, young
	}
}

// The worker prunes by its policy as of its clock and logs the counts.
func TestRetentionWorkerPrunesAndLogs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		st, now, left := retentionFixture(t, url)
		logs := &syncBuffer{}
		w := &retentionWorker{st: st, policy: retentionPolicy(DefaultRetentionDays), log: NewLogger(logs, "json"),
			now: func() time.Time { return now }}
		if err := w.Work(context.Background(), &river.Job[retentionArgs]{}); err != nil {
			t.Fatal(err)
		}
		if old, young := left(); old != 0 || young != 4 {
			t.Errorf("after the run: %d old rows left (want 0), %d young (want 4)", old, young)
		}
		for _, s := range []string{`"msg":"retention: old rows deleted"`, `"deliveries":1`, `"pr_heads":1`, `"comments":1`, `"check_runs":1`} {
			if !strings.Contains(logs.String(), s) {
				t.Errorf("log lacks %s:\n%s", s, logs.String())
			}
		}
		// A policy of 0 days (a job queued before retention was turned
		// off) deletes nothing.
		off := &retentionWorker{st: st, policy: retentionPolicy(0), log: slog.New(slog.DiscardHandler),
			now: func() time.Time { return now.Add(1000 * 24 * time.Hour) }}
		if err := off.Work(context.Background(), &river.Job[retentionArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, young := left(); young != 4 {
			t.Errorf("a disabled run deleted rows: %d young left, want 4", young)
		}
	})
}

// A configured server registers the periodic job and its leader runs it
// at start: the old rows go, the young stay. With 0 days there is no job.
func TestServerPrunesAtStart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		cfg := configured(t)
		cfg.DatabaseURL, cfg.RetentionDays = url, DefaultRetentionDays
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() }) // after the server's stop (cleanups run last first)
		left := oldAndYoungRows(t, st, time.Now())
		r := start(t, cfg, WithPipeline(&fakePipeline{}))
		if n := len(r.s.retentionJobs()); n != 1 {
			t.Errorf("%d retention periodic jobs, want 1", n)
		}
		eventually(t, func() bool { return strings.Contains(r.logs.String(), "retention: old rows deleted") })
		if old, young := left(); old != 0 || young != 4 {
			t.Errorf("after the start-up run: %d old rows left (want 0), %d young (want 4)", old, young)
		}
		if !strings.Contains(r.logs.String(), `"component":"retention"`) {
			t.Errorf("the run's log lacks its component:\n%s", r.logs.String())
		}
	})
	off := &Server{cfg: Config{RetentionDays: 0}, log: slog.New(slog.DiscardHandler)}
	if jobs := off.retentionJobs(); jobs != nil {
		t.Errorf("retentionJobs with 0 days = %v, want none", jobs)
	}
}
