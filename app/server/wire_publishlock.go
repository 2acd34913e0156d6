package server

import (
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/picketsec/picket/app/pipeline"
)

// publishLockPoll is how often a scan waiting for its pull request's
// publish lease asks again. Publishing takes well under a second, so the
// wait is short when the holder is alive.
const publishLockPoll = 200 * time.Millisecond

// publishLockOptions serialise publishing per pull request across
// replicas with a one-slot lease in the slots table (store.AcquireSlot).
// Its keys are negative, so they never meet an installation's slots,
// whose keys are installation ids (positive).
func (s *Server) publishLockOptions() []pipeline.Option {
	lock := pipeline.SlotLock(s.st.AcquireSlot, prLeaseKey, replicaName(), slotTTL(s.cfg.JobTimeout), publishLockPoll)
	return []pipeline.Option{pipeline.WithPublishLock(lock)}
}

// prLeaseKey maps "owner/repo"#pr to a negative int64 (FNV-1a, 63 bits).
// Two pull requests sharing a key only wait for each other, harmlessly.
func prLeaseKey(repo string, pr int) int64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(repo) + "#" + strconv.Itoa(pr)))
	return -int64(h.Sum64()&math.MaxInt64) - 1
}
