package server

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

// A retention run counts the rows it deleted per table and its outcome,
// and a success sets the last-success time to the run's end; a failed
// run counts an error and leaves that time alone.
func TestRetentionWorkerMetrics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		st, now, left := retentionFixture(t, url)
		oldBefore, _ := left()
		m := metrics.New()
		w := &retentionWorker{st: st, policy: retentionPolicy(DefaultRetentionDays), log: slog.New(slog.DiscardHandler),
			now: func() time.Time { return now }, m: m}
		if err := w.Work(context.Background(), &river.Job[retentionArgs]{}); err != nil {
			t.Fatal(err)
		}
		text := exposition(t, m)
		// oldAndYoungRows writes one old row to each of the four tables.
		var pruned float64
		for _, table := range []string{metrics.TableDeliveries, metrics.TablePRHeads, metrics.TableComments, metrics.TableCheckRuns} {
			n := sample(t, text, `picket_retention_pruned_rows_total{table="`+table+`"}`)
			if n != 1 {
				t.Errorf("pruned rows of %s = %v, want 1", table, n)
			}
			pruned += n
		}
		if oldAfter, _ := left(); pruned != float64(oldBefore-oldAfter) {
			t.Errorf("pruned rows counted %v, rows gone %d", pruned, oldBefore-oldAfter)
		}
		if ok, bad := sample(t, text, `picket_retention_runs_total{outcome="ok"}`), sample(t, text, `picket_retention_runs_total{outcome="error"}`); ok != 1 || bad != 0 {
			t.Errorf("runs ok %v, error %v; want 1 and 0", ok, bad)
		}
		const last = "picket_retention_last_success_timestamp_seconds"
		if got := scrapeValue(t, m, last); got != float64(now.Unix()) {
			t.Errorf("last success = %v, want the run's end %v", got, float64(now.Unix()))
		}

		// A run whose context has ended fails: an error, and the last
		// success stays.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		w.now = func() time.Time { return now.Add(24 * time.Hour) }
		if err := w.Work(ctx, &river.Job[retentionArgs]{}); err == nil {
			t.Fatal("a run with a cancelled context succeeded")
		}
		text = exposition(t, m)
		if ok, bad := sample(t, text, `picket_retention_runs_total{outcome="ok"}`), sample(t, text, `picket_retention_runs_total{outcome="error"}`); ok != 1 || bad != 1 {
			t.Errorf("after a failed run: runs ok %v, error %v; want 1 and 1", ok, bad)
		}
		if got := scrapeValue(t, m, last); got != float64(now.Unix()) {
			t.Errorf("last success after a failed run = %v, want the earlier success %v", got, float64(now.Unix()))
		}
	})
}

// A job left over from before retention was disabled deletes nothing and
// is not counted as a run: its last-success time would age into an alert.
func TestDisabledRetentionIsNotARun(t *testing.T) {
	st, err := store.Open(context.Background(), storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := metrics.New()
	w := &retentionWorker{st: st, policy: retentionPolicy(0), log: slog.New(slog.DiscardHandler), now: time.Now, m: m}
	if err := w.Work(context.Background(), &river.Job[retentionArgs]{}); err != nil {
		t.Fatal(err)
	}
	text := exposition(t, m)
	if n := sample(t, text, `picket_retention_runs_total{outcome="ok"}`); n != 0 {
		t.Errorf("a disabled run counted: %v ok runs, want 0", n)
	}
	if strings.Contains(text, "picket_retention_last_success_timestamp_seconds ") {
		t.Error("a disabled run set the last-success time")
	}
}

// The server passes its metrics to the retention job it runs at start.
func TestServerCountsRetentionRuns(t *testing.T) {
	cfg := configured(t)
	cfg.DatabaseURL, cfg.RetentionDays = storetest.SQLiteURL(t), DefaultRetentionDays
	before := float64(time.Now().Unix())
	r := start(t, cfg, WithPipeline(&fakePipeline{}))
	eventually(t, func() bool {
		return sample(t, exposition(t, r.s.Metrics()), `picket_retention_runs_total{outcome="ok"}`) == 1
	})
	if got := scrapeValue(t, r.s.Metrics(), "picket_retention_last_success_timestamp_seconds"); got < before {
		t.Errorf("last success = %v after the start-up run, want its time (≥ %v, the server's start)", got, before)
	}
}
