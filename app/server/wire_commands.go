package server

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/commands"
	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/app/pipeline"
	"github.com/picketsec/picket/app/store"
)

// addCommandWorker registers the /picket command worker on workers. Its
// rescans go through the server's queue, which exists only after the
// workers are registered, hence the late-bound enqueuer. login is the
// app's bot user (botLogin): only its reply markers count as Picket's.
// It is empty when the server runs a caller's pipeline, or when GitHub
// could not be asked at start-up; then any bot account's marker counts,
// and a forged one can only suppress one reply.
func (s *Server) addCommandWorker(workers *river.Workers, f *gh.ClientFactory, login string) {
	river.AddWorker[commands.CommandArgs](workers, &commands.Worker{
		Clients:  f,
		BotLogin: login,
		Ignores:  s.st,
		Enqueue:  serverQueue{s},
		Log:      s.log.With("component", "commands"),
	})
}

// ignoreOptions makes the default pipeline apply the stored ignores.
func (s *Server) ignoreOptions() []pipeline.Option {
	return []pipeline.Option{pipeline.WithIgnores(storeIgnores{s.st})}
}

// serverQueue enqueues on the server's queue, outside any transaction:
// the command worker has nothing to commit with the job.
type serverQueue struct{ s *Server }

// Enqueue implements commands.Enqueuer.
func (q serverQueue) Enqueue(ctx context.Context, args river.JobArgs) error {
	if q.s.queue == nil {
		return errors.New("enqueue: the queue is not running")
	}
	_, running, err := q.s.queue.InsertOrRunning(ctx, args)
	if err != nil {
		return err
	}
	if running {
		return commands.ErrBusy
	}
	return nil
}

// storeIgnores adapts the store to pipeline.Ignores (the pipeline does
// not import app/store).
type storeIgnores struct{ st *store.Store }

// Ignores implements pipeline.Ignores.
func (s storeIgnores) Ignores(ctx context.Context, repo string, pr int) ([]pipeline.Ignore, error) {
	igs, err := s.st.Ignores(ctx, repo, pr)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.Ignore, 0, len(igs))
	for _, ig := range igs {
		out = append(out, pipeline.Ignore{PR: ig.PR, ID: ig.ID, Reason: ig.Reason, By: ig.By})
	}
	return out, nil
}
