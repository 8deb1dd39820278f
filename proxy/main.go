// Command smtplay serves the SMTP playground: the page, the websocket tunnel
// that carries each browser session to one SMTP server, and a built-in
// practice server (the sandbox). A fresh smtplay reaches only its sandbox.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	opts, err := parseOptions(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smtplay:", err)
		os.Exit(2)
	}
	if opts.version {
		fmt.Println("smtplay", version)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts, newLogger(opts.logFormat)); err != nil {
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

// run serves until ctx ends, then shuts down gracefully: it stops accepting,
// sends closed to every session, and waits a bounded time.
func run(ctx context.Context, opts *options, log *slog.Logger) error {
	app, err := newApp(opts, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if err := app.startSandboxSMTP(ctx); err != nil {
		return err
	}
	app.logStart(ln.Addr())
	fmt.Fprintf(os.Stderr, "smtplay is ready: open %s\n", app.pageURL(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "wait", opts.shutdownWait.String())
	sctx, cancel := context.WithTimeout(context.Background(), opts.shutdownWait)
	defer cancel()
	_ = srv.Shutdown(sctx) // stops accepting; hijacked websockets are the tunnel's
	if err := app.shutdown(sctx); err != nil {
		log.Warn("sessions still open at exit", "err", err)
	}
	return nil
}
