package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/metrics"
	"github.com/picketsec/picket/app/store"
	"github.com/picketsec/picket/app/store/storetest"
)

const (
	noisy = 1 // installation with a backlog
	quiet = 2 // installation with one job
)

// startLog records the scans that really started (a slot held), in order,
// and the most of one installation running at once.
type startLog struct {
	mu      sync.Mutex
	starts  []int64 // installation ids
	running map[int64]int
	most    map[int64]int
	done    int
	quietOn chan struct{} // closed when the quiet installation's scan starts
	hold    time.Duration // how long a noisy scan waits for quietOn at most
}

// scanner is the inner worker: a noisy scan waits until the quiet one has
// started (or hold passed, so that an unfair queue cannot hang the test),
// the quiet one returns at once.
type scanner struct {
	river.WorkerDefaults[jobs.ScanArgs]
	l *startLog
}

func (s *scanner) Work(ctx context.Context, job *river.Job[jobs.ScanArgs]) error {
	inst := job.Args.InstallationID
	l := s.l
	l.mu.Lock()
	l.starts = append(l.starts, inst)
	l.running[inst]++
	l.most[inst] = max(l.most[inst], l.running[inst])
	if inst == quiet {
		close(l.quietOn)
	}
	l.mu.Unlock()
	if inst == noisy {
		select {
		case <-l.quietOn:
		case <-time.After(l.hold):
		case <-ctx.Done():
		}
	}
	l.mu.Lock()
	l.running[inst]--
	l.done++
	l.mu.Unlock()
	return nil
}

// runQueue runs 10 noisy jobs inserted before 1 quiet one on 2 River
// workers over SQLite, each installation limited to limit slots (0: no
// limit), and returns the start order and the store.
func runQueue(t *testing.T, url string, limit int, hold time.Duration) (*startLog, *store.Store, *metrics.Metrics) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l := &startLog{running: map[int64]int{}, most: map[int64]int{}, quietOn: make(chan struct{}), hold: hold}
	m := metrics.New()
	fw := &fairWorker{Worker: &scanner{l: l}, max: limit, ttl: time.Minute, holder: "test-replica",
		snooze: func() time.Duration { return 10 * time.Millisecond }, m: m, log: slog.New(slog.DiscardHandler), now: time.Now}
	if limit > 0 {
		fw.slots = st
	}
	workers := river.NewWorkers()
	river.AddWorker[jobs.ScanArgs](workers, fw)
	q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, Concurrency: 2, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(inst int64, pr int) {
		a := jobs.ScanArgs{InstallationID: inst, Repo: fmt.Sprintf("org%d/repo", inst), PR: pr, HeadSHA: fmt.Sprintf("%040d", pr)}
		if err := st.InTx(ctx, func(tx store.Tx) error {
			ok, err := q.InsertTx(ctx, tx, a)
			if err == nil && !ok {
				err = errors.New("not inserted")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for pr := 1; pr <= 10; pr++ {
		insert(noisy, pr)
	}
	insert(quiet, 11)
	// Started after the inserts, so the noisy jobs are first in line.
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(sctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	eventually(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.done == 11 })
	return l, st, m
}

func TestQuietInstallationNotStarvedByNoisyOne(t *testing.T) {
	// One slot per installation, two workers: the noisy installation's
	// first scan holds its slot until the quiet one has started, so the
	// quiet scan must be the second to start, ahead of the 9 other noisy ones.
	storetest.ForEach(t, func(t *testing.T, url string) { quietNotStarved(t, url) })
}

func quietNotStarved(t *testing.T, url string) {
	l, st, m := runQueue(t, url, 1, 30*time.Second)
	l.mu.Lock()
	starts := slices.Clone(l.starts)
	most := l.most[noisy]
	l.mu.Unlock()
	if i := slices.Index(starts, quiet); i != 1 {
		t.Errorf("start order %v: the quiet installation's scan started at %d, want 1 (right after the first noisy one)", starts, i)
	}
	if most != 1 {
		t.Errorf("the noisy installation ran %d scans at once, want at most its 1 slot", most)
	}
	snoozes := scrapeValue(t, m, "picket_installation_snoozes_total")
	// The 9 noisy jobs queued ahead of the quiet one were each picked and
	// snoozed before it could be.
	if snoozes < 9 {
		t.Errorf("picket_installation_snoozes_total = %v, want at least 9 (each waiting noisy job snoozed)", snoozes)
	}
	// Snoozing did not use up attempts: every job completed on its first.
	// (River marks jobs completed in batches, after Work returns.)
	eventually(t, func() bool {
		var n int
		err := st.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE state = 'completed'`).Scan(&n)
		return err == nil && n == 11
	})
	var worst int
	if err := st.QueryRow(context.Background(), `SELECT MAX(attempt) FROM river_job`).Scan(&worst); err != nil {
		t.Fatal(err)
	}
	if worst != 1 {
		t.Errorf("a job completed at attempt %d, want 1 however often it was snoozed", worst)
	}
	holders, err := st.SlotHolders(context.Background(), noisy)
	if err != nil || len(holders) != 0 {
		t.Errorf("slots still held after every job ended: %v (err %v)", holders, err)
	}
}

func TestWithoutSlotsTheQuietInstallationWaits(t *testing.T) {
	// The control: with no bound, both workers take noisy jobs (inserted
	// first) that wait out their hold, so the quiet scan cannot be second.
	// This is what the test above would see if fairWorker did nothing.
	l, _, _ := runQueue(t, storetest.SQLiteURL(t), 0, 200*time.Millisecond)
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := slices.Index(l.starts, quiet); i < 2 {
		t.Errorf("start order %v: without slots the quiet scan started at %d, want after the first two noisy ones", l.starts, i)
	}
}

// scrapeValue reads one unlabelled sample from m's exposition.
func scrapeValue(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	v, ok := m.Value(name)
	if !ok {
		t.Fatalf("%s not exported", name)
	}
	return v
}

// exposition is m's /metrics text.
func exposition(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// fakeSlots is a slotStore whose answers the test sets.
type fakeSlots struct {
	mu       sync.Mutex
	err      error
	full     bool
	held     int
	released int
	holders  []string
	ttls     []time.Duration
}

func (f *fakeSlots) AcquireSlot(_ context.Context, _ int64, holder string, _ int, ttl time.Duration) (func(context.Context) error, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holders, f.ttls = append(f.holders, holder), append(f.ttls, ttl)
	if f.err != nil || f.full {
		return nil, false, f.err
	}
	f.held++
	return func(context.Context) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.released++
		return nil
	}, true, nil
}

// innerFunc is a scan worker made of a function.
type innerFunc struct {
	river.WorkerDefaults[jobs.ScanArgs]
	fn func(ctx context.Context) error
}

func (w innerFunc) Work(ctx context.Context, _ *river.Job[jobs.ScanArgs]) error { return w.fn(ctx) }

func TestFairWorkerOutcomes(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for name, tc := range map[string]struct {
		slots       *fakeSlots
		inner       error
		wantErr     func(error) bool
		wantSnoozed bool
		wantRan     bool
		wantRelease int
		wantMetric  string
	}{
		"slot free, scan ok": {slots: &fakeSlots{}, wantErr: func(err error) bool { return err == nil }, wantRan: true, wantRelease: 1,
			wantMetric: `picket_scan_duration_seconds_count{outcome="ok",size="unknown"} 1`},
		"slot free, scan fails: slot still released": {slots: &fakeSlots{}, inner: boom, wantErr: func(err error) bool { return errors.Is(err, boom) },
			wantRan: true, wantRelease: 1, wantMetric: `picket_scan_duration_seconds_count{outcome="error",size="unknown"} 1`},
		"scan cancelled": {slots: &fakeSlots{}, inner: river.JobCancel(boom), wantErr: func(err error) bool { return errors.Is(err, boom) },
			wantRan: true, wantRelease: 1, wantMetric: `picket_scan_duration_seconds_count{outcome="cancelled",size="unknown"} 1`},
		"installation full: snoozed": {slots: &fakeSlots{full: true}, wantSnoozed: true, wantErr: func(err error) bool {
			var s *river.JobSnoozeError
			return errors.As(err, &s) && s.Duration == 42*time.Millisecond
		}, wantMetric: `picket_installation_snoozes_total 1`},
		"database error: retried": {slots: &fakeSlots{err: boom}, wantErr: func(err error) bool {
			var s *river.JobSnoozeError
			return errors.Is(err, boom) && !errors.As(err, &s)
		}, wantMetric: `picket_installation_slot_errors_total 1`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			ran := false
			w := &fairWorker{Worker: innerFunc{fn: func(context.Context) error { ran = true; return tc.inner }},
				slots: tc.slots, max: 2, ttl: 11 * time.Minute, holder: "replica-a",
				snooze: func() time.Duration { return 42 * time.Millisecond }, m: m, log: slog.New(slog.DiscardHandler), now: time.Now}
			at := time.Now()
			job := &river.Job[jobs.ScanArgs]{JobRow: &rivertype.JobRow{ID: 9, Kind: "picket_scan", ScheduledAt: at.Add(-1500 * time.Millisecond), AttemptedAt: &at},
				Args: jobs.ScanArgs{InstallationID: 7}}
			err := w.Work(context.Background(), job)
			if !tc.wantErr(err) {
				t.Errorf("Work = %v", err)
			}
			if ran != tc.wantRan {
				t.Errorf("inner ran = %v, want %v", ran, tc.wantRan)
			}
			if tc.slots.released != tc.wantRelease {
				t.Errorf("released %d slots, want %d", tc.slots.released, tc.wantRelease)
			}
			if len(tc.slots.holders) != 1 || !strings.Contains(tc.slots.holders[0], "replica-a") || !strings.Contains(tc.slots.holders[0], "9") ||
				tc.slots.ttls[0] != 11*time.Minute {
				t.Errorf("acquired as %q for %v, want the replica and job id, for the ttl", tc.slots.holders, tc.slots.ttls)
			}
			text := exposition(t, m)
			if !strings.Contains(text, tc.wantMetric+"\n") {
				t.Errorf("metrics lack %q", tc.wantMetric)
			}
		})
	}
}

func TestQueueCounterCountsUnfinishedJobs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{}) // insert only: the jobs stay available
		if err != nil {
			t.Fatal(err)
		}
		count := queueCounter(st)
		got, err := count(ctx)
		if err != nil || len(got) != 0 {
			t.Fatalf("empty queue counted %v, %v; want nothing", got, err)
		}
		for pr := 1; pr <= 3; pr++ {
			if err := st.InTx(ctx, func(tx store.Tx) error {
				_, err := q.InsertTx(ctx, tx, jobs.ScanArgs{InstallationID: 1, Repo: "o/r", PR: pr, HeadSHA: fmt.Sprintf("%040d", pr)})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		// A finished job is not counted.
		if _, err := st.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = created_at WHERE id = (SELECT MIN(id) FROM river_job)`); err != nil {
			t.Fatal(err)
		}
		got, err = count(ctx)
		want := []metrics.QueueCount{{State: "available", Kind: "picket_scan", N: 2}}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("queue counted %v, %v; want %v", got, err, want)
		}
	})
}

func TestBudgetPerDialect(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		b := budgetFor(st)
		switch st.Dialect {
		case store.SQLite:
			if b != nil {
				t.Errorf("SQLite (one process) got budget %T, want gh's in-memory default", b)
			}
		case store.Postgres:
			if _, ok := b.(dbBudget); !ok {
				t.Errorf("PostgreSQL (many replicas) got budget %T, want the database's", b)
			}
		}
	})
}

// holdScanner holds each scan a moment and records how many ran at once.
type holdScanner struct {
	river.WorkerDefaults[jobs.ScanArgs]
	mu            *sync.Mutex
	running, most *int
	done          *int
	byReplica     map[string]int
	replica       string
}

func (s *holdScanner) Work(ctx context.Context, _ *river.Job[jobs.ScanArgs]) error {
	s.mu.Lock()
	*s.running++
	*s.most = max(*s.most, *s.running)
	s.byReplica[s.replica]++
	s.mu.Unlock()
	select { // long enough for the other workers to try to start too
	case <-time.After(100 * time.Millisecond):
	case <-ctx.Done():
	}
	s.mu.Lock()
	*s.running--
	*s.done++
	s.mu.Unlock()
	return nil
}

func TestSlotsBoundAcrossReplicas(t *testing.T) {
	// Two replicas (each its own Store, River client and 2 workers) on one
	// database, 8 jobs of one installation limited to 2 slots: never more
	// than 2 run at once, though 4 workers are free.
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var mu sync.Mutex
		var running, most, done int
		byReplica := map[string]int{}
		var queues []*jobs.Queue
		var first *store.Store
		for _, replica := range []string{"replica-a", "replica-b"} {
			st, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if first == nil {
				first = st
			}
			fw := &fairWorker{Worker: &holdScanner{mu: &mu, running: &running, most: &most, done: &done, byReplica: byReplica, replica: replica},
				slots: st, max: 2, ttl: time.Minute, holder: replica, snooze: func() time.Duration { return 10 * time.Millisecond },
				m: metrics.New(), log: slog.New(slog.DiscardHandler), now: time.Now}
			workers := river.NewWorkers()
			river.AddWorker[jobs.ScanArgs](workers, fw)
			q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{Workers: workers, Concurrency: 2, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			queues = append(queues, q)
		}
		for pr := 1; pr <= 8; pr++ {
			if err := first.InTx(ctx, func(tx store.Tx) error {
				_, err := queues[0].InsertTx(ctx, tx, jobs.ScanArgs{InstallationID: noisy, Repo: "o/r", PR: pr, HeadSHA: fmt.Sprintf("%040d", pr)})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range queues {
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := q.Stop(sctx); err != nil {
					t.Errorf("stop queue: %v", err)
				}
			})
		}
		eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return done == 8 })
		mu.Lock()
		defer mu.Unlock()
		if most > 2 {
			t.Errorf("%d scans of one installation ran at once across the replicas, want at most its 2 slots", most)
		}
		t.Logf("scans per replica %v, most at once %d", byReplica, most)
	})
}

// BenchmarkFairWorkerOverhead is what the per-installation bound adds to
// each scan job: one slot acquisition and release (two statements in the
// database), against the wrapper without slots.
func BenchmarkFairWorkerOverhead(b *testing.B) {
	run := func(b *testing.B, slots slotStore) {
		w := &fairWorker{Worker: innerFunc{fn: func(context.Context) error { return nil }}, slots: slots, max: 2,
			ttl: time.Minute, holder: "bench", snooze: func() time.Duration { return time.Second },
			m: metrics.New(), log: slog.New(slog.DiscardHandler), now: time.Now}
		at := time.Now()
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			job := &river.Job[jobs.ScanArgs]{JobRow: &rivertype.JobRow{ID: int64(i), Kind: "picket_scan", ScheduledAt: at, AttemptedAt: &at},
				Args: jobs.ScanArgs{InstallationID: int64(i % 50)}}
			if err := w.Work(ctx, job); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("no-slots", func(b *testing.B) { run(b, nil) })
	for _, url := range storetest.URLs(b) {
		b.Run(strings.SplitN(url, ":", 2)[0], func(b *testing.B) {
			st, err := store.Open(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			run(b, st)
		})
	}
}

func TestInstallationConcurrencyConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env     string
		want    int
		wantErr string
	}{
		{"", DefaultInstallationConcurrency, ""},
		{"1", 1, ""},
		{"0", 0, ""}, // no bound
		{"-1", 0, EnvInstallationConcurrency},
		{"257", 0, EnvInstallationConcurrency},
		{"two", 0, EnvInstallationConcurrency + ": not a number"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			c, err := LoadConfig(func(k string) string {
				if k == EnvInstallationConcurrency {
					return tc.env
				}
				return ""
			}, "")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("LoadConfig(%q) = %v, want an error naming %s", tc.env, err, tc.wantErr)
				}
				return
			}
			if err != nil || c.InstallationConcurrency != tc.want {
				t.Errorf("LoadConfig(%q) = %d, %v; want %d", tc.env, c.InstallationConcurrency, err, tc.want)
			}
		})
	}
}

func TestSlotLeaseAndSnoozeDelays(t *testing.T) {
	t.Parallel()
	if got := slotTTL(0); got != DefaultJobTimeout+time.Minute {
		t.Errorf("slotTTL(0) = %v, want the default job timeout plus a minute", got)
	}
	if got := slotTTL(3 * time.Minute); got != 4*time.Minute {
		t.Errorf("slotTTL(3m) = %v, want 4m", got)
	}
	next := jitter(2 * time.Second)
	seen := map[time.Duration]bool{}
	for range 200 {
		d := next()
		if d < time.Second || d >= 3*time.Second {
			t.Fatalf("jitter(2s) = %v, want within [1s, 3s)", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Errorf("jitter(2s) gave %d distinct delays in 200, want them spread", len(seen))
	}
	if name := replicaName(); !strings.Contains(name, fmt.Sprint(os.Getpid())) || name == replicaName() {
		t.Errorf("replicaName() = %q; want the pid and a random part (two calls differ)", name)
	}
}

func TestQueueWaitMiddleware(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	mw := &queueWait{m: m}
	at := time.Now()
	ran := 0
	for _, kind := range []string{"picket_scan", "picket_command"} {
		job := &rivertype.JobRow{Kind: kind, ScheduledAt: at.Add(-1500 * time.Millisecond), AttemptedAt: &at}
		if err := mw.Work(context.Background(), job, func(context.Context) error { ran++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	if err := mw.Work(context.Background(), &rivertype.JobRow{Kind: "picket_scan"}, func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Work = %v, want the inner error", err)
	}
	if ran != 2 {
		t.Errorf("inner ran %d times, want 2", ran)
	}
	text := exposition(t, m)
	for _, want := range []string{
		`picket_queue_wait_seconds_sum{kind="scan"} 1.5`,
		`picket_queue_wait_seconds_count{kind="scan"} 1`, // the job without attempted_at is not observed
		`picket_queue_wait_seconds_sum{kind="command"} 1.5`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}
