// Package server is smtplay wired together: the target table, the sandbox,
// the tunnel, the page and its small JSON API. The smtplay command parses
// its flags into Options, calls New and serves; end-to-end tests do the same
// on their own listeners.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/smtplay/smtplay/internal/pagebuild"
	"github.com/smtplay/smtplay/proxy/metrics"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/tunnel"
	"github.com/smtplay/smtplay/static/dist"
)

// Options configure a Server. The zero value is a safe public server that
// reaches only its sandbox.
type Options struct {
	// PublicURL is the URL people use behind a reverse proxy; the page's
	// accepted Origin becomes exactly its scheme://host[:port].
	PublicURL string
	// Allow lists real servers, each host:port[,implicit][,insecure][,plainauth].
	Allow []string
	// AllowPrivate is lab mode: allowed servers may resolve to private and
	// loopback addresses, on any port.
	AllowPrivate bool
	// AllowHost are host names (or addresses) the server answers to besides
	// its own: the -public-url's host, localhost and loopback addresses, and
	// without -public-url this machine's addresses. Any other Host gets 421.
	AllowHost []string
	// AllowOrigin are origin patterns that may embed /embed and open tunnels.
	AllowOrigin []string
	// LessonOrigin are origin patterns the page may load lesson files from.
	LessonOrigin []string
	// TrustProxy are addresses or CIDRs whose X-Forwarded-For is believed.
	TrustProxy []string
	// Limits are the per-client and global session rates.
	Limits policy.Limits
	// Session bounds each tunnel session; zero fields take tunnel.DefaultLimits.
	Session tunnel.Limits
	// Sandbox configures the practice server; its Logger defaults to Logger.
	Sandbox sandbox.Config
	// HeaderTimeout bounds how long a client may take to send its request
	// headers, the websocket handshake included (Slowloris). Default 10 s.
	HeaderTimeout time.Duration
	// ShutdownWait is how long open sessions get to close when Serve's
	// context ends. Default 10 s.
	ShutdownWait time.Duration
	// Logger receives operator logs: never session bytes or credentials.
	Logger *slog.Logger
	// Version is logged at start-up.
	Version string
	// Page is the built page (internal/pagebuild); nil means the one
	// embedded in static/dist by `make`.
	Page *pagebuild.Site
	// SandboxSMTPPublic is the host:port people's programs reach the
	// sandbox's TCP listener at, when it is not the listener's own address
	// (behind NAT or a port forward); GET /api/targets tells the page.
	SandboxSMTPPublic string
}

// DefaultShutdownWait is Options.ShutdownWait's default.
const DefaultShutdownWait = 10 * time.Second

// DefaultHeaderTimeout is Options.HeaderTimeout's default.
const DefaultHeaderTimeout = 10 * time.Second

// sandboxPort is the port the sandbox targets show: the submission port.
// The sandbox is reached in-process, so no socket ever uses it.
const sandboxPort = 587

// Server is one smtplay: build it with New, serve it with Serve.
type Server struct {
	opts    Options
	log     *slog.Logger
	targets *policy.Table
	sandbox *sandbox.Sandbox
	tunnel  *tunnel.Server
	metrics *metrics.Metrics
	// smtpLimiter admits the sandbox SMTP listener's clients by address
	// (smtplimit.go), counted apart from their tunnel sessions.
	smtpLimiter *policy.Limiter
	page        *pagebuild.Site // nil: the binary was built without its page

	// embedders may frame /embed (-allow-origin); lessonOrigins may host
	// lesson files (-lesson-origin).
	embedders     policy.Patterns
	lessonOrigins policy.Patterns
	// hosts are the Host headers served (-public-url, -allow-host).
	hosts policy.Hosts

	mu            sync.Mutex
	sharedMailbox string   // the mailbox of the sandbox's SMTP listener
	sandboxSMTP   net.Addr // that listener's address, once it serves
}

// New builds a Server from o, or says which option is wrong.
func New(o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Sandbox.Logger == nil {
		o.Sandbox.Logger = o.Logger
	}
	if o.ShutdownWait <= 0 {
		o.ShutdownWait = DefaultShutdownWait
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.Page == nil {
		o.Page, _ = dist.Site() // nil before `make`: the start-up log says so
	}
	if o.Sandbox.ClientSessions <= 0 {
		o.Sandbox.ClientSessions = o.Limits.SessionsPerIP // an address's share grows with its sessions
	}
	if err := checkPublicSMTP(o.SandboxSMTPPublic); err != nil {
		return nil, err
	}
	sb, err := sandbox.New(o.Sandbox)
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
	for _, spec := range o.Allow {
		t, err := policy.ParseAllow(spec, o.AllowPrivate)
		if err != nil {
			return nil, fmt.Errorf("-allow %s: %w", spec, err)
		}
		targets = append(targets, t)
	}
	table, err := policy.NewTable(targets...)
	if err != nil {
		return nil, err
	}
	origins, err := policy.NewOrigins(o.PublicURL, o.AllowOrigin)
	if err != nil {
		return nil, err
	}
	hosts, err := policy.NewHosts(o.PublicURL, o.AllowHost)
	if err != nil {
		return nil, err
	}
	lessonOrigins, err := policy.ParsePatterns("-lesson-origin", o.LessonOrigin)
	if err != nil {
		return nil, err
	}
	trusted, err := policy.ParseTrusted(o.TrustProxy)
	if err != nil {
		return nil, fmt.Errorf("-trust-proxy: %w", err)
	}
	s := &Server{opts: o, log: o.Logger, targets: table, sandbox: sb, page: o.Page,
		metrics: metrics.New(sb.Stats), embedders: origins.Embedders(), lessonOrigins: lessonOrigins, hosts: hosts,
		smtpLimiter: policy.NewLimiter(smtpLimits(o.Limits))}
	s.tunnel = tunnel.NewServer(tunnel.Config{
		Targets:  table,
		Sandbox:  sandbox.Tunneled{Sandbox: sb},
		Guard:    policy.Guard{AllowPrivate: o.AllowPrivate},
		Origins:  origins,
		Limiter:  policy.NewLimiter(o.Limits),
		ClientIP: policy.ClientIP{Trusted: trusted},
		Limits:   o.Session,
		Logger:   o.Logger,
		Observer: s.metrics,
	})
	return s, nil
}

// Sandbox is the server's practice SMTP server.
func (s *Server) Sandbox() *sandbox.Sandbox { return s.sandbox }

// Sessions is the number of tunnel sessions open now.
func (s *Server) Sessions() int { return s.tunnel.Sessions() }

// ServeSandboxSMTP serves the sandbox on ln for real SMTP clients (swaks,
// Thunderbird, exported scripts) until ctx ends. Their mail goes to one
// mailbox, whose token it returns.
func (s *Server) ServeSandboxSMTP(ctx context.Context, ln net.Listener) (mailbox string, err error) {
	token, err := s.sandbox.ServeTCP(ctx, limitedListener{ln, s.smtpLimiter}, "sandbox")
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.sharedMailbox, s.sandboxSMTP = token, ln.Addr()
	s.mu.Unlock()
	s.log.Info("sandbox SMTP listener", "addr", ln.Addr().String())
	return token, nil
}

// ServeMetrics serves Prometheus metrics at /metrics on ln until ctx ends.
func (s *Server) ServeMetrics(ctx context.Context, ln net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: s.opts.HeaderTimeout}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	s.log.Info("metrics", "addr", ln.Addr().String())
}

// Serve answers HTTP on ln until ctx ends, then stops accepting, sends
// closed to every session and waits at most ShutdownWait for them, and
// stops the sandbox.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.opts.HeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "wait", s.opts.ShutdownWait.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownWait)
	defer cancel()
	_ = srv.Shutdown(sctx) // stops accepting; hijacked websockets are the tunnel's
	if err := s.Shutdown(sctx); err != nil {
		s.log.Warn("sessions still open at exit", "err", err)
	}
	return nil
}

// Shutdown closes every tunnel session and stops the sandbox, waiting
// until ctx ends at most.
func (s *Server) Shutdown(ctx context.Context) error {
	return errors.Join(s.tunnel.Shutdown(ctx), s.sandbox.Shutdown(ctx))
}

// LogStart logs the settings once, so an operator sees what is allowed;
// extra adds key-value pairs the caller knows (listeners, log format).
func (s *Server) LogStart(addr net.Addr, extra ...any) {
	names := make([]string, 0)
	for _, t := range s.targets.List() {
		names = append(names, t.Name)
	}
	o, l, lim := s.opts, s.opts.Session, s.opts.Limits
	shareBytes, shareRate := s.sandbox.ClientShare()
	args := append([]any{
		"version", o.Version, "listen", addr.String(), "public_url", o.PublicURL,
		"targets", strings.Join(names, " "), "allow_private", o.AllowPrivate,
		"allow_host", strings.Join(o.AllowHost, " "), "allow_origin", strings.Join(o.AllowOrigin, " "), "lesson_origin", strings.Join(o.LessonOrigin, " "),
		"trust_proxy", strings.Join(o.TrustProxy, " "),
		"sessions_per_ip", lim.SessionsPerIP, "sessions_per_minute", lim.NewPerMinute, "sessions_per_second", lim.GlobalPerSecond,
		"idle", l.Idle.String(), "max_session", l.MaxDuration.String(), "byte_budget", l.ByteBudget,
		"sandbox_share_per_address", formatSize(shareBytes), "sandbox_messages_per_minute_per_address", shareRate,
	}, extra...)
	s.log.Info("smtplay starting", args...)
	if o.AllowPrivate && o.PublicURL == "" && !isLoopback(addr) {
		s.log.Warn("lab mode (-allow-private) on a listener other machines reach, without -public-url: " +
			"the page is served under localhost, this machine's addresses and the -allow-host names, " +
			"and whoever reaches it reaches the lab's servers; set -public-url or listen on 127.0.0.1")
	}
	if wide := s.embedders.Widened(); len(wide) > 0 {
		s.log.Warn("framing is wider than -allow-origin: browsers know a CSP wildcard only in front of a whole host, at any depth, "+
			"so any page under frame_ancestors may frame /embed; the embed still speaks only to the exact patterns (docs/EMBED.md)",
			"allow_origin", strings.Join(wide, " "), "frame_ancestors", strings.Join(s.embedders.CSP(), " "))
	}
	if s.page == nil {
		s.log.Warn("the page is missing from this binary: build it with `make`, which builds main.wasm and then the page")
	} else if !pageHasWasm(s.page) {
		s.log.Warn("the page's main.wasm is missing from this binary: build with `make` so the console works")
	}
}

// isLoopback reports whether addr is a loopback listener's address.
func isLoopback(addr net.Addr) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

// PageURL is the address to print for a person to open, when the page is
// served on addr.
func (s *Server) PageURL(addr net.Addr) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err == nil && ap.Addr().IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d/", ap.Port())
	}
	return "http://" + addr.String() + "/"
}
