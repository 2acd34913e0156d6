package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/picketsec/picket/app/server"
)

// runServe starts the GitHub App server: configuration from PICKET_*
// environment variables over an optional YAML file over defaults.
func runServe(ctx context.Context, args []string, s streams) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(s.stderr)
	file := fs.String("config", "", "server configuration YAML `file`; PICKET_* environment variables take precedence over it")
	fs.Usage = func() {
		fmt.Fprintf(s.stderr, "Usage: picket serve [--config FILE]\n\nRuns the GitHub App: POST /webhook, /healthz, /readyz, /metrics.\nSettings come from PICKET_* environment variables, then the file, then defaults\n(docs/configuration.md, \"Server\"). Without app credentials it still starts and\nsays what is missing.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		return fail(s, fmt.Errorf("serve takes no arguments, got %q", fs.Arg(0)))
	}
	cfg, err := server.LoadConfig(s.getenv, *file)
	if err != nil {
		return fail(s, err)
	}
	log := server.NewLogger(s.stderr, cfg.LogFormat)
	if err := server.Run(ctx, cfg, log); err != nil && !errors.Is(err, context.Canceled) {
		return fail(s, err)
	}
	return exitOK
}
