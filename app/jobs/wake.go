package jobs

import (
	"context"
	"database/sql"
	"sync/atomic"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivershared/baseservice"
	"github.com/riverqueue/river/rivershared/riverpilot"
	"github.com/riverqueue/river/rivertype"
)

// On PostgreSQL a job inserted in a transaction reaches the workers at
// once: River's insert sends a NOTIFY that every replica's listener
// receives when the transaction commits.
//
// River emulates LISTEN/NOTIFY on SQLite with an outbox table: every
// insert writes a notification row inside the caller's transaction, and
// a listener reads the table every 50 ms. For Picket's SQLite set-up,
// which one process owns (the server's lock file), that is a write in
// every webhook's transaction and 20 reads a second while idle, to tell
// the process something it already knows, and a job still waited up to
// 50 ms (plus River's fetch cooldown) before it ran.
//
// So on SQLite River runs "poll only" (the wrapped driver says it has no
// listener), and the process wakes its own workers through the hook
// River gives its pilot for exactly this case:
// riverpilot.PilotInitParams.NotifyNonTxJobInsert, "invoked when a
// client knows that a job has become available and the transaction that
// committed it has finished… used in special cases like poll-only
// clients". River calls it itself after a non-transactional Insert;
// Queue.Wake calls it after a transaction of ours that inserted jobs
// has committed. The poll (QueueOptions.PollInterval) remains the
// fallback, and what picks up jobs inserted by anything else.

// wakingDriver is River's SQLite driver with a pilot that keeps River's
// wake hook. River looks for the plugin methods on the driver it is
// given (NewClient: driver.(driverPlugin[TTx])).
type wakingDriver struct {
	*riversqlite.Driver
	pilot *wakePilot
}

// SupportsListener reports false: River runs poll only (see above).
func (d *wakingDriver) SupportsListener() bool { return false }

// SupportsListenNotify reports false: inserts write no notification rows.
func (d *wakingDriver) SupportsListenNotify() bool { return false }

// PluginInit implements River's driver plugin interface; there is
// nothing to initialise.
func (d *wakingDriver) PluginInit(*baseservice.Archetype) {}

// PluginPilot implements River's driver plugin interface.
func (d *wakingDriver) PluginPilot() riverpilot.Pilot { return d.pilot }

// wakePilot is River's standard pilot, which also keeps the client's
// NotifyNonTxJobInsert.
type wakePilot struct {
	riverpilot.StandardPilot
	notify atomic.Pointer[func(context.Context, []*rivertype.JobInsertResult)]
}

func (p *wakePilot) PilotInit(a *baseservice.Archetype, params *riverpilot.PilotInitParams) {
	p.StandardPilot.PilotInit(a, params)
	if params.NotifyNonTxJobInsert != nil {
		p.notify.Store(&params.NotifyNonTxJobInsert)
	}
}

func newWakingSQLite(db *sql.DB) (*wakingDriver, *wakePilot) {
	p := &wakePilot{}
	return &wakingDriver{Driver: riversqlite.New(db), pilot: p}, p
}

// defaultQueueJob stands for "a job in the default queue" (the only queue
// Picket uses): River's hook wakes the producers of the queues of the
// results it is given.
var defaultQueueJob = []*rivertype.JobInsertResult{{Job: &rivertype.JobRow{Queue: river.QueueDefault}}}

// Wake tells this process's workers that a transaction which inserted
// jobs (InsertTx) has committed, so they fetch them now instead of at
// their next poll. Call it after the commit, never inside the
// transaction: a fetch then would not see the jobs yet. It does nothing
// on PostgreSQL (River's listener does it) or for a queue without
// workers.
func (q *Queue) Wake(ctx context.Context) {
	if q.pilot == nil {
		return
	}
	if fn := q.pilot.notify.Load(); fn != nil {
		(*fn)(ctx, defaultQueueJob)
	}
}
