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

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, opts *options, log *slog.Logger) error {
	a, err := newApp(opts, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return err
	}
	if err := a.startSandboxSMTP(ctx); err != nil {
		return err
	}
	if err := a.serveMetrics(ctx); err != nil {
		return err
	}
	a.logStart(ln.Addr())
	fmt.Fprintf(os.Stderr, "smtplay is ready: open %s\n", a.pageURL(ln.Addr()))
	if a.sandboxSMTP != nil {
		fmt.Fprintf(os.Stderr, "mail sent to the sandbox at %s appears at %s#mailbox=%s\n", a.sandboxSMTP, a.pageURL(ln.Addr()), a.sharedMailbox)
	}
	return a.serve(ctx, ln)
}

// serve answers HTTP on ln until ctx ends, then stops accepting, sends
// closed to every session, and waits at most -shutdown-wait.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.routes(),
		ReadHeaderTimeout: a.headerTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down", "wait", a.opts.shutdownWait.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.opts.shutdownWait)
	defer cancel()
	_ = srv.Shutdown(sctx) // stops accepting; hijacked websockets are the tunnel's
	if err := a.shutdown(sctx); err != nil {
		a.log.Warn("sessions still open at exit", "err", err)
	}
	return nil
}
