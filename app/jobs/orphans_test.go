package jobs_test

import (
	"context"
	"testing"

	"github.com/picketsec/picket/app/jobs"
	"github.com/picketsec/picket/app/store/storetest"
)

// On SQLite, a job left running by a dead process is made available at
// once; one at its last attempt is left to River's rescuer. PostgreSQL,
// shared by live replicas, refuses.
func TestRescueOrphans(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, storetest.SQLiteURL(t))
	q, err := jobs.NewQueue(ctx, st, jobs.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, head := range []string{"aaa", "bbb"} {
		if _, err := q.Insert(ctx, jobs.ScanArgs{Repo: "acme/app", PR: 1, HeadSHA: head, Reason: "opened"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Exec(ctx, `UPDATE river_job SET attempt = max_attempts WHERE id = (SELECT MAX(id) FROM river_job)`); err != nil {
		t.Fatal(err)
	}
	n, err := q.RescueOrphans(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RescueOrphans = %d, %v; want 1 (the job at its last attempt is the rescuer's)", n, err)
	}
	var available int
	if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE state = 'available' AND id = (SELECT MIN(id) FROM river_job)`).Scan(&available); err != nil || available != 1 {
		t.Errorf("aaa available = %d, %v; want 1", available, err)
	}

	pg := openStore(t, storetest.PostgresURL(t))
	pq, err := jobs.NewQueue(ctx, pg, jobs.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pq.RescueOrphans(ctx); err == nil {
		t.Error("RescueOrphans on PostgreSQL = nil, want an error: its running jobs may be live replicas'")
	}
}
