package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/smtplay/smtplay/proxy/policy"
)

// Config sets the sandbox's name and limits. The zero value is usable: every
// zero field takes the default named in its comment.
type Config struct {
	// Hostname is the domain in the greeting, the EHLO reply and Received
	// headers, and a name in the certificate. Default "sandbox.smtplay".
	Hostname string
	// MaxMessageBytes is advertised with SIZE and enforced: a bigger message
	// gets 552 5.3.4. Default 10 MiB.
	MaxMessageBytes int64
	// MaxRecipients is the most RCPT TO accepted per message; the next gets
	// 452 4.5.3. Default 100.
	MaxRecipients int
	// MaxMessages is how many messages a mailbox keeps. When a new message
	// arrives in a full mailbox the oldest one is removed, and the 250 reply
	// to DATA says so. Default 50.
	MaxMessages int
	// MaxStoredBytes caps the memory the mail of all mailboxes takes
	// together (store_cost.go); half of it more may be in flight, being
	// received. When a message would pass it, MAIL or the end of DATA is
	// answered with 452 4.3.1 and nothing is stored. Default 256 MiB.
	MaxStoredBytes int64
	// ClientSessions is how many sessions one client address may hold at
	// once: the proxy's -sessions-per-ip. An address's share of the storage
	// cap and of the message rate grows with it (quota.go); past its share
	// the address gets 452 4.3.1 and others still deliver. Default 3.
	ClientSessions int
	// MailboxIdle is how long a mailbox lives with no connection attached
	// and no reads through the HTTP API. Default 1 hour.
	MailboxIdle time.Duration
	// Logger receives operator logs. It never sees message bytes or
	// credentials. Default: discard.
	Logger *slog.Logger
}

// Defaults for the zero fields of Config.
const (
	DefaultHostname        = "sandbox.smtplay"
	DefaultMaxMessageBytes = 10 << 20
	DefaultMaxRecipients   = 100
	DefaultMaxMessages     = 50
	DefaultMaxStoredBytes  = 256 << 20
	DefaultMailboxIdle     = time.Hour
	DefaultClientSessions  = policy.DefaultSessionsPerIP
)

// Timeouts of a connection. The proxy has its own, shorter, idle limit; these
// bound connections from ServeTCP. RFC 5321 section 4.5.3.2 asks a server to
// wait at least 5 minutes for a command.
const (
	commandTimeout   = 5 * time.Minute
	writeTimeout     = time.Minute
	handshakeTimeout = 30 * time.Second
	shutdownGrace    = 2 * time.Second
)

// ErrClosed is returned by Connect and ServeTCP after Shutdown.
var ErrClosed = errors.New("sandbox: shut down")

// Profile is one way the sandbox behaves, offered as a named target.
type Profile struct {
	Name        string // target name, e.g. "sandbox"
	Description string // one sentence for the page
}

// Delivery describes a message stored in a connection's mailbox; see
// Connect. It is a message accepted on the connection, or a delivery report
// the sandbox made about one (dsn.go): a report's From is "", the null
// sender, and its To is the accepted message's envelope sender.
type Delivery struct {
	ID      string   // the message's id in the mailbox API
	From    string   // envelope sender (MAIL FROM), "" for the null sender
	To      []string // envelope recipients it was delivered to (not bounce@)
	Subject string   // decoded Subject (RFC 2047), "" if none
	Size    int      // bytes of DATA as stored, without trace headers
}

// Sandbox is the practice server. Make one with New; it serves until
// Shutdown. Its methods are safe for concurrent use.
type Sandbox struct {
	cfg       Config
	log       *slog.Logger
	creds     func() (credentials, error) // made at the first STARTTLS (cert.go)
	tlsConfig *tls.Config
	rewrites  rewriter
	store     *store
	srv       *smtp.Server
	ln        *pipeListener
	serveDone chan struct{}

	// ctx ends when Shutdown starts: it stops ServeTCP loops, pending
	// handshakes and slow@ pauses.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	closing bool
	conns   map[*clientConn]struct{}
	connWG  sync.WaitGroup // one per registered clientConn
	bgWG    sync.WaitGroup // one per ServeTCP loop
	stopped sync.Once

	// slowDelay is how long slow@ waits; a field so tests can shorten it.
	slowDelay time.Duration
	// parkAfter is how long a client waits between commands before its
	// connection is parked (park.go); a field so tests can shorten it.
	parkAfter time.Duration
}

// New checks cfg and starts the in-process server. Its self-signed
// certificate, for every profile name and cfg.Hostname, is made when the
// first STARTTLS needs it (cert.go).
func New(cfg Config) (*Sandbox, error) {
	cfg = withDefaults(cfg)
	if !validHostname(cfg.Hostname) {
		return nil, fmt.Errorf("sandbox: Hostname %q is not a domain name", cfg.Hostname)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sandbox{
		cfg:       cfg,
		log:       cfg.Logger,
		creds:     lazyCredentials(certNames(cfg.Hostname)),
		rewrites:  newRewriter(cfg),
		store:     newStore(cfg, time.Now),
		ln:        newPipeListener(),
		serveDone: make(chan struct{}),
		ctx:       ctx,
		cancel:    cancel,
		conns:     make(map[*clientConn]struct{}),
		slowDelay: 3 * time.Second,
		parkAfter: time.Second,
	}
	s.tlsConfig = &tls.Config{GetCertificate: s.certificate, MinVersion: tls.VersionTLS12}
	s.srv = newSMTPServer(s)
	go func() {
		defer close(s.serveDone)
		s.srv.Serve(s.ln) // returns when s.ln is closed by Shutdown
	}()
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Hostname == "" {
		cfg.Hostname = DefaultHostname
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = DefaultMaxRecipients
	}
	if cfg.MaxMessages <= 0 {
		cfg.MaxMessages = DefaultMaxMessages
	}
	if cfg.MaxStoredBytes <= 0 {
		cfg.MaxStoredBytes = DefaultMaxStoredBytes
	}
	if cfg.ClientSessions <= 0 {
		cfg.ClientSessions = DefaultClientSessions
	}
	if cfg.MailboxIdle <= 0 {
		cfg.MailboxIdle = DefaultMailboxIdle
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// RootCAs holds the sandbox's certificate: the proxy verifies the sandbox's
// STARTTLS against it. It is empty if the certificate could not be made,
// so that no STARTTLS to the sandbox is trusted.
func (s *Sandbox) RootCAs() *x509.CertPool {
	c, err := s.creds()
	if err != nil {
		return x509.NewCertPool()
	}
	return c.roots
}

// certificate is the TLS server's: the sandbox's certificate, made now if
// no STARTTLS has needed it before.
func (s *Sandbox) certificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c, err := s.creds()
	if err != nil {
		return nil, fmt.Errorf("sandbox: making the certificate: %w", err)
	}
	return &c.cert, nil
}

// Profiles lists the profiles in display order, the lenient "sandbox" first.
func (s *Sandbox) Profiles() []Profile {
	out := make([]Profile, len(profiles))
	for i, p := range profiles {
		out[i] = Profile{Name: p.name, Description: p.description}
	}
	return out
}

// Demo returns the practice credentials, which the page shows.
func (s *Sandbox) Demo() (username, password string) { return demoUsername, demoPassword }

// Connect opens an in-process SMTP connection to profile and returns the
// client end; the server's 220 greeting is the first thing to read. The
// connection is an in-process pipe with a 64 KiB queue each way (pipe.go):
// the caller must keep reading.
//
// token names an existing mailbox to reattach; an unknown, expired or empty
// token makes a new mailbox. The token actually used is returned.
//
// onDeliver (may be nil) is called once for each message accepted on this
// connection and then once for each delivery report made about it,
// synchronously, before the 250 reply to the final dot is written, so a
// caller that forwards server lines in order can announce the deliveries
// right after that 250. A message whose every recipient bounced is not
// stored and not announced; its failure report is. It must not block for
// long.
//
// The mail counts in the share of the zero client address, one key for
// every caller that names none; the proxy uses ConnectFrom.
func (s *Sandbox) Connect(profile, token string, onDeliver func(Delivery)) (net.Conn, string, error) {
	return s.ConnectFrom(netip.Addr{}, profile, token, onDeliver)
}

// ConnectFrom is Connect for a person at the address from: the mail sent
// on the connection counts in that address's share of the store and of the
// message rate (Config.ClientSessions).
func (s *Sandbox) ConnectFrom(from netip.Addr, profile, token string, onDeliver func(Delivery)) (net.Conn, string, error) {
	p, ok := lookupProfile(profile)
	if !ok {
		return nil, "", fmt.Errorf("sandbox: unknown profile %q", profile)
	}
	box := s.store.attach(token)
	client, server := newPipe(pipeAddr("proxy"), pipeAddr("sandbox"))
	c := newClientConn(s, server, p, box, onDeliver, "via the smtplay page")
	c.client = from
	if err := s.startOnFirstBytes(c, server.(*pipeEnd)); err != nil {
		client.Close()
		return nil, "", err
	}
	return client, box.token, nil
}

// register counts c among the open connections.
func (s *Sandbox) register(c *clientConn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		c.raw.Close()
		s.store.detach(c.box)
		return ErrClosed
	}
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	c.registered = true
	return nil
}

// start registers c and hands its first segment to the go-smtp server.
func (s *Sandbox) start(c *clientConn) error {
	if err := s.register(c); err != nil {
		return err
	}
	if err := s.ln.push(c.firstSegment()); err != nil {
		c.abort()
		return ErrClosed
	}
	return nil
}

// forget is called once per registered connection, when it ends.
func (s *Sandbox) forget(c *clientConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.store.detach(c.box)
	s.connWG.Done()
}

// Shutdown tells every connected client "421 4.3.2" and closes its
// connection, stops ServeTCP listeners, and waits for every session to end
// or for ctx. A client that does not read its 421 within a short grace is
// cut off. Mailboxes stay readable through Handler. Shutdown may be called
// more than once.
func (s *Sandbox) Shutdown(ctx context.Context) error {
	s.stopped.Do(func() {
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		s.cancel()
		// In parallel, so that a client that does not read cannot delay the
		// 421 of the others; each ends within shutdownGrace.
		var wg sync.WaitGroup
		for _, c := range s.connections() {
			wg.Go(c.shutdown)
		}
		wg.Wait()
	})

	// Give the polite 421s a moment, then cut off whoever is left.
	grace, stop := context.WithTimeout(ctx, shutdownGrace)
	err := wait(grace, &s.connWG)
	stop()
	if err != nil {
		for _, c := range s.connections() {
			c.abort()
		}
	}

	s.ln.Close()
	select {
	case <-s.serveDone:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		return err
	}
	if err := wait(ctx, &s.connWG); err != nil {
		return err
	}
	return wait(ctx, &s.bgWG)
}

// connections returns a snapshot of the open connections.
func (s *Sandbox) connections() []*clientConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*clientConn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// wait waits for wg or ctx. The helper goroutine ends when wg does, which
// Shutdown guarantees by closing every connection.
func wait(ctx context.Context, wg *sync.WaitGroup) error {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
