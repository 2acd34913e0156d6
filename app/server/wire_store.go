package server

import (
	"fmt"
	"strings"
	"time"

	"github.com/picketsec/picket/app/jobs"
)

// The queue's crash-safety settings (issue 6): how long a scan job may
// run, and how long a job may stay "running" before any replica's queue
// leader takes it for dead (its replica was killed) and retries it.
const (
	EnvJobTimeout  = "PICKET_JOB_TIMEOUT"
	EnvRescueAfter = "PICKET_RESCUE_AFTER"
)

// Defaults of EnvJobTimeout and EnvRescueAfter.
const (
	DefaultJobTimeout  = jobs.DefaultJobTimeout
	DefaultRescueAfter = jobs.DefaultJobTimeout + jobs.DefaultRescueMargin
)

// loadQueueTimes reads EnvJobTimeout and EnvRescueAfter into c. Without
// EnvRescueAfter, a job is rescued a minute after it would have timed
// out.
func loadQueueTimes(c *Config, get func(string) (string, bool)) error {
	c.JobTimeout = DefaultJobTimeout
	for key, dst := range map[string]*time.Duration{EnvJobTimeout: &c.JobTimeout, EnvRescueAfter: &c.RescueAfter} {
		if v, ok := get(key); ok {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d <= 0 {
				return fmt.Errorf("%s: not a positive duration (e.g. 10m)", key)
			}
			*dst = d
		}
	}
	if c.RescueAfter == 0 {
		c.RescueAfter = c.JobTimeout + jobs.DefaultRescueMargin
	}
	if c.RescueAfter <= c.JobTimeout {
		return fmt.Errorf("%s: must be longer than %s (%s), or a job still running would be run twice", EnvRescueAfter, EnvJobTimeout, c.JobTimeout)
	}
	return nil
}
