package server

import (
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/publish"
	"github.com/picketsec/picket/app/store"
)

// This file wires app/store's durable tables into the scan pipeline:
//
//   - publish.State is the database on both dialects: the check run and
//     comment ids survive a crash and are shared by replicas, so a retried
//     job (after a restart, or on another replica) updates its check run
//     and never posts a second comment for a finding;
//   - the result cache is the database's on PostgreSQL, shared by every
//     replica, and the in-memory LRU on SQLite, where one process runs and
//     the single writer connection is better kept for webhooks than spent
//     on a cache write per scanned file.

// publishState is where the publishers keep the GitHub ids they created.
func (s *Server) publishState() publish.State { return s.st }

// cacheOptions chooses the default pipeline's result cache (see above).
func (s *Server) cacheOptions() []pipeline.Option {
	if s.st.Dialect != store.Postgres {
		return nil
	}
	c := store.NewCache(s.st, store.WithCacheLogger(s.log.With("component", "result-cache")))
	return []pipeline.Option{pipeline.WithCache(c)}
}
