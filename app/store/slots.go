package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AcquireSlot takes one of max concurrency slots of installation for
// holder (a name for logs and inspection: replica and job), leased for
// ttl. It reports ok false, and no error, when all max slots are held.
// The slots are rows shared by every replica on the database, so at most
// max holders run at once across all of them.
//
// A lease ends when release is called or, if its holder died (a SIGKILLed
// replica never releases), when ttl has passed: the next AcquireSlot then
// takes the slot over. So ttl must exceed the longest a holder may run
// (the job timeout). release deletes the lease only while it is still
// this holder's, so a holder that outlived its ttl cannot free a slot
// someone else took over; it is safe to call more than once.
//
// Expiry compares the replicas' clocks, which are assumed to agree to
// well within ttl. Lowering max leaves leases on the higher slots running
// until they end; only new acquisitions see the lower bound.
func (s *Store) AcquireSlot(ctx context.Context, installation int64, holder string, max int, ttl time.Duration) (release func(context.Context) error, ok bool, err error) {
	if max <= 0 {
		return nil, false, fmt.Errorf("acquire slot of installation %d: max %d: want at least 1", installation, max)
	}
	if ttl <= 0 {
		return nil, false, errors.New("acquire slot: the lease ttl must be positive")
	}
	now := time.Now()
	expires := now.Add(ttl).UnixMilli()
	slot := -1
	err = s.InTx(ctx, func(tx Tx) error {
		for i := range max {
			// Insert a free slot, or take over an expired lease. On
			// PostgreSQL a concurrent insert of the same key waits for
			// the other transaction and then sees a live lease: the
			// WHERE makes the update a no-op, 0 rows.
			n, err := tx.Exec(ctx, `INSERT INTO picket_slot (installation_id, slot, holder, expires_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (installation_id, slot) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
				WHERE picket_slot.expires_at <= ?`, installation, i, holder, expires, now.UnixMilli())
			if err != nil {
				return err
			}
			if n == 1 {
				slot = i
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("acquire slot of installation %d: %w", installation, err)
	}
	if slot < 0 {
		return nil, false, nil
	}
	release = func(ctx context.Context) error {
		if _, err := s.Exec(ctx, `DELETE FROM picket_slot WHERE installation_id = ? AND slot = ? AND holder = ? AND expires_at = ?`,
			installation, slot, holder, expires); err != nil {
			return fmt.Errorf("release slot %d of installation %d: %w", slot, installation, err)
		}
		return nil
	}
	return release, true, nil
}

// SlotHolders returns the holders of installation's unexpired leases, by
// slot index: what /metrics or an operator may inspect.
func (s *Store) SlotHolders(ctx context.Context, installation int64) ([]string, error) {
	rows, err := s.lookup(ctx, `SELECT holder FROM picket_slot WHERE installation_id = ? AND expires_at > ? ORDER BY slot`,
		installation, time.Now().UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("slot holders of installation %d: %w", installation, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("slot holders of installation %d: %w", installation, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("slot holders of installation %d: %w", installation, err)
	}
	return out, nil
}

// ClearSlots deletes every lease and returns how many there were. Only
// for a database one process owns (SQLite under the server's lock file):
// at its start every lease belongs to a process that is gone, and
// waiting for their expiry would hold back the scans it left unfinished.
func (s *Store) ClearSlots(ctx context.Context) (int64, error) {
	if s.Dialect != SQLite {
		return 0, errors.New("clear slot leases: only a SQLite database is owned by one process")
	}
	n, err := s.Exec(ctx, `DELETE FROM picket_slot`)
	if err != nil {
		return 0, fmt.Errorf("clear slot leases: %w", err)
	}
	return n, nil
}
