// Package command parses "/picket …" commands in pull-request comments.
// Parse is pure: it turns a comment body into a Command to run, a Reply
// to post (usage errors), or nothing (the comment is not for Picket), in
// the way atlantis' comment parser separates the three. Permission checks
// and execution belong to the caller.
//
// It must not import any GitHub client, River or other app packages.
package command

import (
	"fmt"
	"regexp"
	"strings"
)

// Name is a typed command name.
type Name string

// The commands.
const (
	Rescan   Name = "rescan"
	Ignore   Name = "ignore"
	Unignore Name = "unignore"
	Help     Name = "help"
)

// Prefix starts every command.
const Prefix = "/picket"

// Command is a parsed, valid command.
type Command struct {
	Name   Name
	ID     string // Ignore, Unignore: the finding's fingerprint or short id (lower-case hex)
	Reason string // Ignore: why
	Repo   bool   // Ignore, Unignore --repo: the repository's decision, not just this pull request's
}

// Outcome is what Parse decided.
type Outcome int

// The outcomes.
const (
	None  Outcome = iota // not a Picket command: do nothing
	Run                  // run Command
	Reply                // answer with Result.Reply (usage error or help)
)

// Result is Parse's answer.
type Result struct {
	Outcome Outcome
	Command Command
	Reply   string
}

// maxBody bounds the text inspected; GitHub comments are at most 65,536 characters.
const maxBody = 65536

var idPattern = regexp.MustCompile(`^[0-9a-f]{8,64}$`)

// Parse finds the first command line in a comment body. Lines inside
// fenced code blocks and quoted lines ("> /picket rescan" in a reply) are
// not commands.
func Parse(body string) Result {
	if len(body) > maxBody {
		body = body[:maxBody]
	}
	inFence := false
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			continue
		}
		if inFence || strings.HasPrefix(trimmed, ">") {
			continue
		}
		fields := strings.Fields(trimmed)
		if len(fields) == 0 || !strings.EqualFold(fields[0], Prefix) {
			continue
		}
		return parseArgs(fields[1:])
	}
	return Result{}
}

func parseArgs(args []string) Result {
	if len(args) == 0 {
		return Result{Outcome: Reply, Reply: HelpText}
	}
	switch Name(strings.ToLower(args[0])) {
	case Rescan:
		if len(args) > 1 {
			return usage("`/picket rescan` takes no arguments.")
		}
		return Result{Outcome: Run, Command: Command{Name: Rescan}}
	case Help:
		return Result{Outcome: Run, Command: Command{Name: Help}}
	case Ignore:
		return parseIgnore(args[1:])
	case Unignore:
		return parseUnignore(args[1:])
	}
	return usage(fmt.Sprintf("Unknown command `%s`.", sanitize(args[0])))
}

func parseIgnore(args []string) Result {
	cmd, rest, bad := idAndRepo(Ignore, args)
	if bad.Outcome != None {
		return bad
	}
	cmd.Reason = strings.Join(rest, " ")
	if cmd.Reason == "" {
		return usage("`/picket ignore` needs a reason after the id, so that reviewers know why the finding is accepted.")
	}
	return Result{Outcome: Run, Command: cmd}
}

// parseUnignore reads "<id> [--repo]": nothing else, so that a reason
// typed out of habit is not silently dropped.
func parseUnignore(args []string) Result {
	cmd, rest, bad := idAndRepo(Unignore, args)
	if bad.Outcome != None {
		return bad
	}
	if len(rest) > 0 {
		return usage("`/picket unignore` takes only the finding's id, and `--repo` for a repository-wide ignore.")
	}
	return Result{Outcome: Run, Command: cmd}
}

// idAndRepo reads the "--repo" flag (anywhere) and the finding id (the
// first other word) of ignore and unignore; rest are the words after the
// id. bad is a usage reply when the flags or the id are wrong.
func idAndRepo(name Name, args []string) (cmd Command, rest []string, bad Result) {
	cmd = Command{Name: name}
	var words []string
	for _, a := range args {
		switch {
		case a == "--repo":
			cmd.Repo = true
		case strings.HasPrefix(a, "--"):
			return cmd, nil, usage(fmt.Sprintf("Unknown flag `%s` for `/picket %s`.", sanitize(a), name))
		default:
			words = append(words, a)
		}
	}
	if len(words) == 0 {
		return cmd, nil, usage(fmt.Sprintf("`/picket %s` needs the finding's id, shown at the end of each Picket comment.", name))
	}
	cmd.ID = strings.ToLower(strings.Trim(words[0], "`"))
	if !idPattern.MatchString(cmd.ID) {
		return cmd, nil, usage(fmt.Sprintf("`%s` is not a finding id: ids are 10 hexadecimal characters, shown at the end of each Picket comment.", sanitize(words[0])))
	}
	return cmd, words[1:], Result{}
}

func usage(msg string) Result {
	return Result{Outcome: Reply, Reply: msg + "\n\n" + HelpText}
}

// sanitize keeps user text echoed in a reply short and free of Markdown
// that could break out of the code span or mention people.
func sanitize(s string) string {
	s = strings.NewReplacer("`", "", "@", "@\u200b").Replace(s)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return s
}

// HelpText lists the commands.
const HelpText = "Picket commands (people with write access to the repository):\n\n" +
	"| command | what it does |\n|---|---|\n" +
	"| `/picket rescan` | scan the pull request's head again |\n" +
	"| `/picket ignore <id> <reason>` | accept a finding on this pull request; `--repo` accepts it for the whole repository |\n" +
	"| `/picket unignore <id>` | undo an ignore on this pull request; `--repo` undoes the repository-wide one |\n" +
	"| `/picket help` | show this help |\n"
