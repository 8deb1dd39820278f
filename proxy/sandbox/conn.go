package sandbox

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"
)

// clientConn is one client connection, from the sandbox's side. It sits
// between the client's bytes and go-smtp:
//
//   - reading, it hands go-smtp one checked line at a time (reader.go),
//     answers STARTTLS, HELP and unknown commands itself (commands.go), and
//     refuses bare CR/LF and over-long lines;
//   - writing, it takes go-smtp's reply lines and rewrites the few that
//     differ from RFC 5321 (rewrite.go), adds STARTTLS to the EHLO reply, and
//     lets a session replace one reply (251 for forward@, "queued as" for
//     DATA).
//
// go-smtp never sees TLS: after STARTTLS this type reads and writes through a
// tls.Conn and gives go-smtp a fresh segment, so go-smtp forgets everything
// it learned before TLS, as RFC 3207 requires (starttls.go).
type clientConn struct {
	sb      *Sandbox
	raw     net.Conn // the client's connection: a net.Pipe end or TCP
	prof    *profile
	box     *mailbox
	deliver func(Delivery)
	remote  string        // how the Received header names the client
	client  netip.Addr    // whose share its mail counts in (quota.go)
	done    chan struct{} // closed when the connection has ended
	ended   sync.Once

	// closeNotify: end TLS with a close_notify alert. Only over TCP: on a
	// synchronous net.Pipe the alert's write would wait for a client that
	// is itself busy sending its own close_notify (up to crypto/tls's 5 s).
	// The proxy, a Go client, takes a plain end of stream as a clean end.
	closeNotify bool
	// byLogin: a "student+TOKEN" login sends mail to TOKEN's mailbox
	// (auth_mailbox.go). Only over TCP, whose box is the shared one.
	byLogin bool

	deadlineMu sync.Mutex
	writeLimit time.Time // set by shutdown; see setWriteDeadline

	// Read side: used only by the goroutine serving the current segment
	// (go-smtp reads and writes on one goroutine per connection).
	src       io.Reader     // raw, or the tls.Conn after STARTTLS
	br        *bufio.Reader // borrowed from readers while bytes wait (reader.go); nil when none is held
	pending   []byte        // rest of a line go-smtp has not read yet
	mode      readMode
	chunkLeft int64 // BDAT bytes still to pass through
	chunkCRLF crlf  // CRLF state across BDAT chunk bytes
	lastVerb  string
	bracketed bool // the last MAIL or RCPT wrote its path in <>; rules.go

	mu              sync.Mutex
	registered      bool     // counted in Sandbox.connWG
	cur             net.Conn // raw, or a *tls.Conn over raw after STARTTLS
	seg             *segment // the segment go-smtp is serving now
	tlsState        *tls.ConnectionState
	greetVerb       string // EHLO or HELO, for the Received header
	wbuf            []byte // go-smtp output not yet ending in LF
	inReply         bool   // last line written was "ddd-": more lines follow
	override        *override
	dataErr         error // a DATA line was refused; Session.Data reports it
	text            bool  // 354 was said: Session.Data reads the text itself (text.go)
	closed          bool
	handshaking     bool
	shutdownPending bool
}

// readMode says what the client's next bytes are.
type readMode int

const (
	modeCommand readMode = iota // a command line
	modeAuth                    // an answer to a 334 challenge
	modeData                    // message text after 354, until the lone "."
	modeChunk                   // BDAT chunk bytes, chunkLeft of them
)

// override replaces the next reply line that starts with prefix.
type override struct {
	prefix, line string
}

// segment is what go-smtp serves: the connection until STARTTLS, or after
// it. Its methods forward to the clientConn.
type segment struct {
	c               *clientConn
	ended           bool // guarded by c.mu: STARTTLS passed the connection on
	swallowGreeting bool // guarded by c.mu: drop go-smtp's 220 after STARTTLS
}

func newClientConn(sb *Sandbox, raw net.Conn, p *profile, box *mailbox, deliver func(Delivery), remote string) *clientConn {
	c := &clientConn{
		sb:      sb,
		raw:     raw,
		prof:    p,
		box:     box,
		deliver: deliver,
		remote:  remote,
		done:    make(chan struct{}),
		cur:     raw,
		src:     raw,
	}
	c.seg = &segment{c: c}
	return c
}

func (c *clientConn) firstSegment() *segment {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seg
}

func (g *segment) Read(p []byte) (int, error)  { return g.c.read(g, p) }
func (g *segment) Write(p []byte) (int, error) { return g.c.write(g, p) }

// Close ends the connection when go-smtp is done with the current segment
// (QUIT, an error, the client gone); closing a segment STARTTLS replaced
// does nothing.
func (g *segment) Close() error {
	g.c.mu.Lock()
	current := g.c.seg == g
	g.c.mu.Unlock()
	if current {
		g.c.close()
	}
	return nil
}

func (g *segment) LocalAddr() net.Addr                { return g.c.raw.LocalAddr() }
func (g *segment) RemoteAddr() net.Addr               { return g.c.raw.RemoteAddr() }
func (g *segment) SetReadDeadline(t time.Time) error  { return g.c.raw.SetReadDeadline(t) }
func (g *segment) SetWriteDeadline(t time.Time) error { return g.c.setWriteDeadline(t) }
func (g *segment) SetDeadline(t time.Time) error {
	g.c.raw.SetReadDeadline(t)
	return g.c.setWriteDeadline(t)
}

// Deadlines go to raw: a tls.Conn's deadlines are its connection's anyway.

// setWriteDeadline sets the write deadline, but never past the limit
// shutdown set: go-smtp sets a deadline before every reply, and must not
// undo the one that keeps a client that does not read from holding
// Shutdown up.
func (c *clientConn) setWriteDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	if !c.writeLimit.IsZero() && (t.IsZero() || t.After(c.writeLimit)) {
		t = c.writeLimit
	}
	return c.raw.SetWriteDeadline(t)
}

// limitWrites makes every write fail after t, whatever deadline is set later.
func (c *clientConn) limitWrites(t time.Time) {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	c.writeLimit = t
	c.raw.SetWriteDeadline(t)
}

// isTLS reports whether STARTTLS has completed.
func (c *clientConn) isTLS() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tlsState != nil
}

// takeDataError returns and clears the error of the message being received.
func (c *clientConn) takeDataError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.dataErr
	c.dataErr = nil
	return err
}

func (c *clientConn) setDataError(err error) {
	c.mu.Lock()
	if c.dataErr == nil {
		c.dataErr = err
	}
	c.mu.Unlock()
}

// protocolState returns the verb the client greeted with and whether TLS is on.
func (c *clientConn) protocolState() (greetVerb string, tlsOn bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.greetVerb, c.tlsState != nil
}
