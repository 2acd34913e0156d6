package jobs

import (
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestQueueOptionsConfig(t *testing.T) {
	workers := river.NewWorkers()
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return ScanArgs{}, nil }, nil)}
	for _, tc := range []struct {
		name                string
		o                   QueueOptions
		wantTimeout, wantRA time.Duration
		wantErr             string
	}{
		{name: "defaults", wantTimeout: DefaultJobTimeout, wantRA: DefaultJobTimeout + DefaultRescueMargin},
		{name: "timeout only", o: QueueOptions{JobTimeout: 2 * time.Minute}, wantTimeout: 2 * time.Minute, wantRA: 3 * time.Minute},
		{name: "both", o: QueueOptions{JobTimeout: time.Minute, RescueStuckJobsAfter: 90 * time.Second}, wantTimeout: time.Minute, wantRA: 90 * time.Second},
		// No timeout: River's own rescue default applies.
		{name: "no timeout", o: QueueOptions{JobTimeout: -1}, wantTimeout: -1, wantRA: 0},
		{name: "rescue before timeout", o: QueueOptions{JobTimeout: time.Minute, RescueStuckJobsAfter: time.Minute}, wantErr: "must exceed"},
		{name: "periodic without workers", o: QueueOptions{PeriodicJobs: periodic}, wantErr: "need workers"},
		{name: "periodic", o: QueueOptions{Workers: workers, PeriodicJobs: periodic}, wantTimeout: DefaultJobTimeout, wantRA: DefaultJobTimeout + DefaultRescueMargin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tc.o.config()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("config() error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.JobTimeout != tc.wantTimeout || cfg.RescueStuckJobsAfter != tc.wantRA {
				t.Errorf("JobTimeout %s, RescueStuckJobsAfter %s; want %s, %s", cfg.JobTimeout, cfg.RescueStuckJobsAfter, tc.wantTimeout, tc.wantRA)
			}
			if len(cfg.PeriodicJobs) != len(tc.o.PeriodicJobs) {
				t.Errorf("%d periodic jobs, want %d", len(cfg.PeriodicJobs), len(tc.o.PeriodicJobs))
			}
		})
	}
}
