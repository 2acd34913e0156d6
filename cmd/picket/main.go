package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes of every subcommand.
const (
	exitOK       = 0 // nothing at or above the fail threshold
	exitFindings = 1 // findings at or above the fail threshold
	exitError    = 2 // the command could not do its job
)

// streams are the process's standard streams and environment, injected so
// that tests run the real command in-process.
type streams struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, s streams) int
}

// commands lists the subcommands in help order.
var commands = []command{
	{"scan", "scan a change for security problems (default)", runScan},
	{"serve", "run the GitHub App server", runServe},
	{"rules", "list every rule", runRules},
	{"version", "print the version", runVersion},
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, s streams) int {
	if len(args) == 0 {
		usage(s.stderr)
		return exitError
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(s.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], s)
		}
	}
	return fail(s, fmt.Errorf("unknown command %q (try \"picket help\")", args[0]))
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Picket reviews changes for security problems and reports only what a change introduces.\n\nUsage:\n  picket <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"picket <command> -h\" for a command's flags.\n")
}

// fail prints a one-line "picket: …" error and returns exitError.
func fail(s streams, err error) int {
	fmt.Fprintf(s.stderr, "picket: %s\n", oneLine(err.Error()))
	return exitError
}

// parseFlags parses a flag set, printing usage on -h (exit 0) and a
// one-line error otherwise (exit 2). ok is false when the caller must return code.
func parseFlags(fs *flag.FlagSet, args []string, s streams) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(s.stdout)
		fs.Usage()
		return exitOK, false
	case err != nil:
		return fail(s, fmt.Errorf("%s: %w", fs.Name(), err)), false
	case fs.NArg() > 0:
		return fail(s, fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))), false
	}
	return 0, true
}

func oneLine(msg string) string {
	out := []rune{}
	space := false
	for _, r := range msg {
		if r == '\n' || r == '\r' || r == '\t' || r == ' ' {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, r)
	}
	return string(out)
}
