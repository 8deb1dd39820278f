package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/smtplay/smtplay/proxy/metrics"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/tunnel"
	"github.com/smtplay/smtplay/static"
	"github.com/smtplay/smtplay/wire"
)

// app is smtplay wired together: the target table, the sandbox and the tunnel.
type app struct {
	opts    *options
	log     *slog.Logger
	targets *policy.Table
	sandbox *sandbox.Sandbox
	tunnel  *tunnel.Server
	metrics *metrics.Metrics
	page    fs.FS

	// embedders may frame /embed (-allow-origin); lessonOrigins may host
	// lesson files (-lesson-origin).
	embedders     policy.Patterns
	lessonOrigins policy.Patterns

	// headerTimeout bounds how long a client may take to send its request
	// headers, the websocket handshake included (Slowloris).
	headerTimeout time.Duration

	// sharedMailbox is the mailbox of the -sandbox-smtp listener, and
	// sandboxSMTP its address, once it serves.
	sharedMailbox string
	sandboxSMTP   net.Addr
}

// sandboxPort is the port the sandbox targets show: the submission port.
// The sandbox is reached in-process, so no socket ever uses it.
const sandboxPort = 587

func newApp(opts *options, log *slog.Logger) (*app, error) {
	sb, err := sandbox.New(sandbox.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("starting the sandbox: %w", err)
	}
	var targets []policy.Target
	for _, p := range sb.Profiles() {
		targets = append(targets, policy.Target{
			Name: p.Name, Host: p.Name, Port: sandboxPort, TLS: policy.TLSNone,
			Sandbox: p.Name, Description: p.Description,
		})
	}
	for _, spec := range opts.allow {
		t, err := policy.ParseAllow(spec, opts.allowPrivate)
		if err != nil {
			return nil, fmt.Errorf("-allow %s: %w", spec, err)
		}
		targets = append(targets, t)
	}
	table, err := policy.NewTable(targets...)
	if err != nil {
		return nil, err
	}
	origins, err := policy.NewOrigins(opts.publicURL, opts.allowOrigin)
	if err != nil {
		return nil, err
	}
	lessonOrigins, err := policy.ParsePatterns("-lesson-origin", opts.lessonOrigin)
	if err != nil {
		return nil, err
	}
	trusted, err := policy.ParseTrusted(opts.trustProxy)
	if err != nil {
		return nil, fmt.Errorf("-trust-proxy: %w", err)
	}
	a := &app{opts: opts, log: log, targets: table, sandbox: sb, page: static.Files, headerTimeout: 10 * time.Second,
		metrics: metrics.New(sb.Stats), embedders: origins.Embedders(), lessonOrigins: lessonOrigins}
	a.tunnel = tunnel.NewServer(tunnel.Config{
		Targets:  table,
		Sandbox:  sandboxAdapter{sb},
		Guard:    policy.Guard{AllowPrivate: opts.allowPrivate},
		Origins:  origins,
		Limiter:  policy.NewLimiter(policy.Limits{SessionsPerIP: opts.sessionsPerIP, NewPerMinute: opts.newPerMinute, GlobalPerSecond: opts.globalPerSec}),
		ClientIP: policy.ClientIP{Trusted: trusted},
		Limits:   tunnel.Limits{Idle: opts.idle, MaxDuration: opts.maxSession, ByteBudget: opts.byteBudget},
		Logger:   log,
		Observer: a.metrics,
	})
	return a, nil
}

// sandboxAdapter lets the tunnel reach the sandbox in the contract's terms.
type sandboxAdapter struct{ sb *sandbox.Sandbox }

func (a sandboxAdapter) Connect(profile, token string, onDeliver func(wire.Delivered)) (net.Conn, string, error) {
	return a.sb.Connect(profile, token, func(d sandbox.Delivery) {
		onDeliver(wire.Delivered{Type: wire.TypeDelivered, ID: d.ID, From: d.From, To: d.To, Subject: d.Subject, Size: d.Size})
	})
}

func (a sandboxAdapter) RootCAs() *x509.CertPool { return a.sb.RootCAs() }

// startSandboxSMTP serves the sandbox on TCP for real clients, if asked.
func (a *app) startSandboxSMTP(ctx context.Context) error {
	if a.opts.sandboxSMTP == "" {
		return nil
	}
	l, err := net.Listen("tcp", a.opts.sandboxSMTP)
	if err != nil {
		return fmt.Errorf("-sandbox-smtp: %w", err)
	}
	token, err := a.sandbox.ServeTCP(ctx, l, "sandbox")
	if err != nil {
		return fmt.Errorf("-sandbox-smtp: %w", err)
	}
	a.sharedMailbox, a.sandboxSMTP = token, l.Addr()
	a.log.Info("sandbox SMTP listener", "addr", l.Addr().String())
	return nil
}

// serveMetrics serves /metrics on -metrics-listen, if set, until ctx ends.
func (a *app) serveMetrics(ctx context.Context) error {
	if a.opts.metricsListen == "" {
		return nil
	}
	l, err := net.Listen("tcp", a.opts.metricsListen)
	if err != nil {
		return fmt.Errorf("-metrics-listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: a.headerTimeout}
	go func() { _ = srv.Serve(l) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	a.log.Info("metrics", "addr", l.Addr().String())
	return nil
}

func (a *app) shutdown(ctx context.Context) error {
	err := a.tunnel.Shutdown(ctx)
	if serr := a.sandbox.Shutdown(ctx); err == nil {
		err = serr
	}
	return err
}

// logStart logs the settings once, so an operator sees what is allowed.
func (a *app) logStart(addr net.Addr) {
	names := make([]string, 0)
	for _, t := range a.targets.List() {
		names = append(names, t.Name)
	}
	o := a.opts
	a.log.Info("smtplay starting",
		"version", version, "listen", addr.String(), "public_url", o.publicURL,
		"targets", strings.Join(names, " "), "allow_private", o.allowPrivate,
		"allow_origin", o.allowOrigin.String(), "lesson_origin", o.lessonOrigin.String(), "trust_proxy", o.trustProxy.String(),
		"sessions_per_ip", o.sessionsPerIP, "sessions_per_minute", o.newPerMinute,
		"idle", o.idle.String(), "max_session", o.maxSession.String(), "byte_budget", o.byteBudget,
		"sandbox_smtp", o.sandboxSMTP, "metrics_listen", o.metricsListen)
	if _, err := fs.Stat(a.page, "main.wasm"); err != nil {
		a.log.Warn("the page's main.wasm is missing from this binary: build with `make` so the console works")
	}
}

// pageURL is the address to print for a person to open.
func (a *app) pageURL(addr net.Addr) string {
	if a.opts.publicURL != "" {
		return a.opts.publicURL
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err == nil && ap.Addr().IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d/", ap.Port())
	}
	return "http://" + addr.String() + "/"
}
