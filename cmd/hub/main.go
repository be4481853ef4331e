// Command hub runs the omnichannel messaging hub: one binary, one HTTP
// server. "hub" (or "hub serve") serves; flags and HUB_* variables
// configure it (see the README's configuration table).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"hub/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hub:", err)
		}
		os.Exit(1)
	}
}

// run parses the command line and runs the subcommand until ctx is done.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cfg, rest, warnings, err := config.LoadArgs(args, environ)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fmt.Fprint(stderr, config.Usage())
		return err
	}
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	for _, w := range warnings {
		log.Warn(w)
	}
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, stdout)
	case "workspace":
		return workspaceCommand(ctx, cfg, log, rest, stdout)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

const usage = `usage: hub [flags] [command]

commands:
  serve                       run the hub (the default)
  workspace add NAME EMAIL    create a workspace and its admin (password from HUB_ADMIN_PASSWORD or generated)

flags:
`

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.SlogLevel()}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
