// Package tunnel carries one SMTP conversation between a websocket and one
// TCP (or TLS) connection, under the line rules of PROTOCOL.md: it checks every
// client frame, follows the conversation just enough to stay safe, upgrades its
// own leg on STARTTLS, and tells the browser what happens in JSON messages.
package tunnel

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// Sandbox is the in-process practice server, reached without a network.
type Sandbox interface {
	// Connect opens a connection to profile's server, reattaching the mailbox
	// named by token or making a new one; it returns the token in use.
	// onDeliver runs for each message accepted on this connection, before
	// the server writes its 250. client is the session's client address:
	// the sandbox counts the mail in its share.
	Connect(client netip.Addr, profile, token string, onDeliver func(wire.Delivered)) (net.Conn, string, error)
	// RootCAs holds the certificate the sandbox presents on STARTTLS.
	RootCAs() *x509.CertPool
	// Profile is what profile refuses, for the opened message; nil if
	// nothing is known.
	Profile(profile string) *wire.Profile
}

// Limits bound one session.
type Limits struct {
	Idle        time.Duration // silence in both directions before `timeout` (RFC 5321 §4.5.3.2: 5 min)
	MaxDuration time.Duration // a session's whole life
	ByteBudget  int64         // bytes a session may write to the server
	DialTimeout time.Duration // TCP connect
	TLSTimeout  time.Duration // TLS handshake
	// Real caps what a session may ask of a real (non-sandbox) server.
	Real Quota
}

// DefaultLimits are safe for a public host.
var DefaultLimits = Limits{
	Idle:        5 * time.Minute,
	MaxDuration: 15 * time.Minute,
	ByteBudget:  16 << 20,
	DialTimeout: 10 * time.Second,
	TLSTimeout:  15 * time.Second,
	Real:        Quota{Recipients: 5, Messages: 3, AuthFailures: 3},
}

// Config is what a Server needs. Targets and Sandbox are required; the zero
// value of every other field is a safe default.
type Config struct {
	Targets  *policy.Table
	Sandbox  Sandbox
	Guard    policy.Guard
	Origins  policy.Origins
	Limiter  *policy.Limiter // nil: no rate limits
	ClientIP policy.ClientIP
	Limits   Limits // zero fields take DefaultLimits
	// RootCAs verifies real servers; nil means the system roots.
	RootCAs *x509.CertPool
	// Resolver looks up target names; nil means the default resolver.
	Resolver *net.Resolver
	Logger   *slog.Logger
	// Observer is told what sessions do, for metrics; nil observes nothing.
	Observer Observer
}

// Server serves GET /tunnel: each websocket is one session.
type Server struct {
	cfg    Config
	log    *slog.Logger
	dialer *net.Dialer

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	wg       sync.WaitGroup
}

// NewServer returns a Server for cfg.
func NewServer(cfg Config) *Server {
	cfg.Limits = withDefaults(cfg.Limits)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	return &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		dialer:   cfg.Guard.Dialer(cfg.Limits.DialTimeout, cfg.Resolver),
		sessions: make(map[*session]struct{}),
	}
}

func withDefaults(l Limits) Limits {
	d := DefaultLimits
	for _, f := range []struct{ v, def *time.Duration }{
		{&l.Idle, &d.Idle}, {&l.MaxDuration, &d.MaxDuration}, {&l.DialTimeout, &d.DialTimeout},
		{&l.TLSTimeout, &d.TLSTimeout},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.Real == (Quota{}) {
		l.Real = d.Real
	}
	if l.ByteBudget <= 0 {
		l.ByteBudget = d.ByteBudget
	}
	return l
}

// readLimit is past the contract's 64 KiB: larger messages up to it are
// refused with frame_too_large, and beyond it the websocket closes with 1009.
const readLimit = 1 << 20

// ServeHTTP checks the Origin, upgrades to a websocket and runs one session.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Origins.Allow(r) {
		s.log.Info("tunnel refused", "client", s.cfg.ClientIP.From(r).String(), "origin", r.Header.Get("Origin"), "why", "foreign origin")
		http.Error(w, "smtplay: this page's origin may not open a tunnel here", http.StatusForbidden)
		return
	}
	ws, err := websocket.Accept(lightHijack{w}, r, &websocket.AcceptOptions{
		Subprotocols: []string{wire.Subprotocol},
		// The Origin was checked above, more strictly than the library does
		// (it compares hosts only, so an http:// variant would pass).
		InsecureSkipVerify: true,
		// A line is a few dozen bytes: compression would cost far more
		// memory and time than it saves.
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return // Accept has written the HTTP error
	}
	ws.SetReadLimit(readLimit)
	sess := newSession(s, ws, s.cfg.ClientIP.From(r))
	if !s.add(sess) {
		sess.end(endBy(wire.ByProxy, wire.Say("shutting-down-new")))
		sess.wait()
		return
	}
	// The session runs on a goroutine of its own, and this one returns: the
	// HTTP server then lets go of what it holds for the request (its 4 KiB
	// read and write buffers, the request), which would otherwise stay for
	// the session's life. Shutdown waits for the session.
	go func() {
		defer s.remove(sess)
		sess.run()
	}()
}

func (s *Server) add(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) remove(sess *session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.wg.Done()
}

// Sessions returns the number of sessions running now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Shutdown ends every session with `closed` by the proxy and waits for them
// to finish, or for ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for sess := range s.sessions {
		go sess.end(endBy(wire.ByProxy, wire.Say("shutting-down")))
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
