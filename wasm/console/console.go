package console

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// closeWait is how long Close waits for the proxy's closed message before
// it drops the websocket.
const closeWait = 3 * time.Second

// Console is the page's side of one playground session at a time. Its
// methods never wait for the network; they may be called from any
// goroutine.
type Console struct {
	emit func(Event)
	dial Dialer

	mu       sync.Mutex
	gen      int // counts connections; events of an older one are ignored
	status   Status
	target   string
	conn     Transport
	ctx      context.Context
	cancel   context.CancelFunc
	opened   *wire.Opened
	tls      *wire.TLS
	sess     *session.Session
	queue    []queued
	hold     *Hold
	out      []Event
	flushing bool
	wireOn   bool     // ask for the wire on the next Connect (capture.go)
	capture  *capture // the wire of this session, when asked for
}

// New returns an idle Console that reports to emit and reaches the tunnel
// with dial. emit is called for one event at a time, in order, with no
// lock held. With a nil dial every Connect ends unreachable; the rest
// (replay, tools) works without one.
func New(emit func(Event), dial Dialer) *Console {
	return &Console{emit: emit, dial: dial, status: StatusIdle}
}

// Target names what to connect to: a target of GET /api/targets by Name,
// or Host and Port that match one. Mailbox reattaches an earlier sandbox
// mailbox.
type Target struct {
	Name    string `json:"target,omitempty"`
	Host    string `json:"host,omitempty"`
	Port    int    `json:"port,omitempty"`
	Mailbox string `json:"mailbox,omitempty"`
}

// String names the target as the status line shows it: its name, or
// host:port.
func (t Target) String() string {
	if t.Name != "" {
		return t.Name
	}
	host := t.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 address, as net.JoinHostPort writes it
	}
	return host + ":" + strconv.Itoa(t.Port)
}

// Connect opens the tunnel at url (ws:// or wss://…/tunnel) and asks for t.
// A session already open is closed first. It returns at once; events tell
// the rest.
func (c *Console) Connect(url string, t Target) {
	ctx, gen := c.begin(t)
	go c.run(ctx, gen, t, true, func(ctx context.Context) (Transport, error) {
		if c.dial == nil {
			return nil, errNoDialer
		}
		return c.dial(ctx, url)
	})
}

// Adopt is Connect for a tunnel the page opened itself before the Go half
// ran (Connect pressed while main.wasm still started): conn is open and
// has sent t's open message; what the proxy answered is read from it as
// after Connect, the greeting included.
func (c *Console) Adopt(conn Transport, t Target) {
	ctx, gen := c.begin(t)
	go c.run(ctx, gen, t, false, func(context.Context) (Transport, error) { return conn, nil })
}

// begin ends the session open now and starts the next one, connecting to t.
func (c *Console) begin(t Target) (ctx context.Context, gen int) {
	c.do(func() {
		c.endLocked()
		c.gen++
		gen = c.gen
		c.ctx, c.cancel = context.WithCancel(context.Background())
		ctx = c.ctx
		c.status, c.target = StatusConnecting, t.String()
		c.opened, c.tls, c.sess, c.conn, c.capture = nil, nil, nil, nil, nil
		c.pushLocked(Event{Type: EventStatus})
	})
	return ctx, gen
}

// Close ends the session politely: the proxy sends QUIT if it was not sent
// and answers closed. Lines still queued are dropped.
func (c *Console) Close() {
	c.do(func() {
		c.dropLocked(say("dropped.why.closing"))
		switch c.status {
		case StatusConnecting:
			c.endLocked()
			c.status = StatusClosed
			c.pushLocked(Event{Type: EventStatus})
		case StatusOpen:
			c.writeJSONLocked(wire.Close{Type: wire.TypeClose})
			conn := c.conn
			time.AfterFunc(closeWait, func() { _ = conn.Close(reasonNoAnswer) })
		}
	})
}

// endLocked abandons the current connection, if any: it asks the proxy to
// close and stops reading. Its later events are ignored.
func (c *Console) endLocked() {
	if c.status == StatusOpen {
		c.writeJSONLocked(wire.Close{Type: wire.TypeClose})
	}
	if c.cancel != nil {
		c.cancel()
	}
	c.queue, c.hold = nil, nil
}

// Check explains a line without sending it. The zero Analysis comes back
// when no session is open.
func (c *Console) Check(line string) session.Analysis {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return session.Analysis{}
	}
	return c.sess.Check(line)
}

// Reveal returns the unmasked text of a secret transcript entry.
func (c *Console) Reveal(seq int) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return "", false
	}
	return c.sess.Reveal(seq)
}

// Export returns the transcript in swaks' style, secrets masked unless
// reveal is set; "" before the first session.
func (c *Console) Export(reveal bool) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return ""
	}
	return c.sess.Export(session.ExportOptions{RevealSecrets: reveal})
}

// View returns the snapshot the side panel shows.
func (c *Console) View() View {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.viewLocked()
}
