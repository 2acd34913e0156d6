package store

import (
	"context"
	"testing"
	"time"

	"github.com/picketsec/picket/app/store/storetest"
)

func TestMarkNeverMovesBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		if _, ok, err := s.Mark(ctx, "deliveries"); ok || err != nil {
			t.Fatalf("fresh Mark: ok %v err %v, want none", ok, err)
		}
		t1, t0 := time.UnixMilli(1700000005000), time.UnixMilli(1700000001000)
		for _, at := range []time.Time{t1, t0} {
			if err := s.SetMark(ctx, "deliveries", at); err != nil {
				t.Fatal(err)
			}
		}
		if at, ok, err := s.Mark(ctx, "deliveries"); !ok || err != nil || !at.Equal(t1) {
			t.Errorf("Mark = %v %v %v, want %v (the later one kept)", at, ok, err, t1)
		}
	})
}

func TestRedeliveryCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		old, now := time.UnixMilli(1700000000000), time.UnixMilli(1700000900000)
		for _, at := range []time.Time{old, old} {
			if err := s.AddRedelivery(ctx, "a", at); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddRedelivery(ctx, "b", now); err != nil {
			t.Fatal(err)
		}
		if n, last, err := s.Redelivery(ctx, "a"); n != 2 || !last.Equal(old) || err != nil {
			t.Errorf("Redelivery(a) = %d, %v, %v; want 2, %v", n, last, err, old)
		}
		if n, err := s.ForgetRedeliveries(ctx, now); n != 1 || err != nil {
			t.Errorf("ForgetRedeliveries = %d, %v; want 1", n, err)
		}
		if n, _, _ := s.Redelivery(ctx, "a"); n != 0 {
			t.Errorf("Redelivery(a) after forgetting = %d", n)
		}
		if n, _, _ := s.Redelivery(ctx, "b"); n != 1 {
			t.Errorf("Redelivery(b) = %d, want 1", n)
		}
	})
}

func TestSetHeadIfStaleAndHasDelivery(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := openURL(t, url)
		seen := time.Now().Add(-time.Minute)
		// A webhook recorded a head after the sweep read GitHub: it wins.
		if err := s.InTx(ctx, func(tx Tx) error { return s.SetHead(ctx, tx, "o/r", 1, "webhook") }); err != nil {
			t.Fatal(err)
		}
		var set bool
		err := s.InTx(ctx, func(tx Tx) (err error) {
			set, err = s.SetHeadIfStale(ctx, tx, "o/r", 1, "sweep", seen)
			return err
		})
		if err != nil || set {
			t.Errorf("over a newer head: set %v err %v, want false", set, err)
		}
		if h, _, _ := s.Head(ctx, "o/r", 1); h != "webhook" {
			t.Errorf("head = %q, want webhook", h)
		}
		// No head recorded: the sweep's is recorded.
		err = s.InTx(ctx, func(tx Tx) (err error) {
			set, err = s.SetHeadIfStale(ctx, tx, "o/r", 2, "sweep", seen)
			return err
		})
		if err != nil || !set {
			t.Errorf("fresh: set %v err %v, want true", set, err)
		}
		if ok, err := s.HasDelivery(ctx, "nope"); ok || err != nil {
			t.Errorf("HasDelivery(nope) = %v, %v", ok, err)
		}
		err = s.InTx(ctx, func(tx Tx) error {
			_, err := s.InsertDelivery(ctx, tx, DeliveryRow{ID: "g", Event: "ping", ReceivedAt: time.Now()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := s.HasDelivery(ctx, "g"); !ok || err != nil {
			t.Errorf("HasDelivery(g) = %v, %v; want true", ok, err)
		}
	})
}
