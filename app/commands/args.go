package commands

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/picketsec/picket/app/command"
)

// Outcome is what the parser decided about a comment, as stored in a job.
type Outcome string

// The outcomes a job can carry (command.None never becomes a job).
const (
	OutcomeRun   Outcome = "run"   // run Command
	OutcomeReply Outcome = "reply" // answer with Reply (a usage error or the help text)
)

// CommandArgs asks for one command comment to be executed. River keeps it
// unique by the comment's id in every state, completed included, so a
// comment runs at most once however often GitHub delivers it.
//
// The comment's body is not stored: only what the parser made of it.
type CommandArgs struct {
	InstallationID int64           `json:"installation_id"`
	Repo           string          `json:"repo"` // owner/name
	PR             int             `json:"pr"`
	CommentID      int64           `json:"comment_id" river:"unique"`
	CommentAt      time.Time       `json:"comment_at"` // when the comment was written; replies are looked for after it
	Author         string          `json:"author"`     // the comment author's login
	Outcome        Outcome         `json:"outcome"`
	Command        command.Command `json:"command"`
	Reply          string          `json:"reply,omitempty"` // Outcome reply: the parser's answer
	DeliveryID     string          `json:"delivery_id,omitempty"`
}

// Kind implements river.JobArgs.
func (CommandArgs) Kind() string { return "picket_command" }

// InsertOpts makes commands unique by comment id in River's default
// unique states (all but cancelled and discarded) and gives them the
// attempts of a transient-failure budget.
func (CommandArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FromParse builds the job of a parsed comment; ok is false when the
// comment is not a command (command.None).
func FromParse(r command.Result) (a CommandArgs, ok bool) {
	switch r.Outcome {
	case command.Run:
		return CommandArgs{Outcome: OutcomeRun, Command: r.Command}, true
	case command.Reply:
		return CommandArgs{Outcome: OutcomeReply, Reply: r.Reply}, true
	}
	return CommandArgs{}, false
}
