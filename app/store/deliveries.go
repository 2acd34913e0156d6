package store

import (
	"context"
	"fmt"
	"time"
)

// DeliveryRow is a recorded webhook delivery.
type DeliveryRow struct {
	ID             string
	Event          string
	Action         string
	InstallationID int64
	ReceivedAt     time.Time
}

// InsertDelivery records a delivery inside tx. It reports false when the
// delivery id is already recorded (a redelivery), in which case nothing
// is written.
func (s *Store) InsertDelivery(ctx context.Context, tx Tx, d DeliveryRow) (bool, error) {
	n, err := tx.Exec(ctx, `INSERT INTO picket_delivery (id, event, action, installation_id, received_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, d.ID, d.Event, d.Action, d.InstallationID, d.ReceivedAt.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("record delivery %s: %w", d.ID, err)
	}
	return n == 1, nil
}

// Delivery returns a recorded delivery, or sql.ErrNoRows.
func (s *Store) Delivery(ctx context.Context, id string) (DeliveryRow, error) {
	var d DeliveryRow
	var ms int64
	err := s.reader().QueryRowContext(ctx, s.Rebind(`SELECT id, event, action, installation_id, received_at FROM picket_delivery WHERE id = ?`), id).
		Scan(&d.ID, &d.Event, &d.Action, &d.InstallationID, &ms)
	if err != nil {
		return DeliveryRow{}, fmt.Errorf("delivery %s: %w", id, err)
	}
	d.ReceivedAt = time.UnixMilli(ms)
	return d, nil
}
