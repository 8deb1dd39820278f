// Command smtplay serves the SMTP playground: the page, the websocket tunnel
// that carries each browser session to one SMTP server, and a built-in
// practice server (the sandbox). A fresh smtplay reaches only its sandbox.
// The server itself is package proxy/server; this is its command line.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/smtplay/smtplay/proxy/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	f, err := server.ParseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smtplay:", err)
		os.Exit(2)
	}
	if f.PrintVersion {
		fmt.Println("smtplay", version)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, f); err != nil {
		fmt.Fprintln(os.Stderr, "smtplay:", err)
		os.Exit(1)
	}
}

func newLogger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// run builds the server, opens its listeners and serves until ctx ends.
func run(ctx context.Context, f *server.Flags) error {
	f.Logger, f.Version = newLogger(f.LogFormat), version
	memory, err := f.ApplyMemory(server.HostRoot())
	if err != nil {
		return err
	}
	srv, err := server.New(f.Options)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.Listen)
	if err != nil {
		return err
	}
	var mailbox string
	if f.SandboxSMTP != "" {
		l, err := net.Listen("tcp", f.SandboxSMTP)
		if err != nil {
			return fmt.Errorf("-sandbox-smtp: %w", err)
		}
		if mailbox, err = srv.ServeSandboxSMTP(ctx, l); err != nil {
			return fmt.Errorf("-sandbox-smtp: %w", err)
		}
	}
	if f.MetricsListen != "" {
		l, err := net.Listen("tcp", f.MetricsListen)
		if err != nil {
			return fmt.Errorf("-metrics-listen: %w", err)
		}
		srv.ServeMetrics(ctx, l)
	}
	srv.LogStart(ln.Addr(), append([]any{"sandbox_smtp", f.SandboxSMTP, "metrics_listen", f.MetricsListen, "log_format", f.LogFormat}, memory.LogArgs()...)...)
	if w := memory.Warning(); w != "" {
		f.Logger.Warn(w)
	}
	url := srv.PageURL(ln.Addr())
	fmt.Fprintf(os.Stderr, "smtplay is ready: open %s\n", url)
	if mailbox != "" {
		fmt.Fprintf(os.Stderr, "mail sent to the sandbox at %s with the plain practice login appears at %s#mailbox=%s\n", f.SandboxSMTP, url, mailbox)
	}
	return srv.Serve(ctx, ln)
}
