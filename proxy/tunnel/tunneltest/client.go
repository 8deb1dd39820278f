// Package tunneltest is a websocket client for the tunnel contract, for
// tests: every method fails the test on a surprise, so a test reads like
// the conversation it checks.
package tunneltest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// Timeout bounds each read; it only matters when a test is failing.
const Timeout = 10 * time.Second

// Client is one session's client end: a websocket to the tunnel, or a
// message port to the in-page sandbox.
type Client struct {
	T    testing.TB
	Conn Conn
}

// Conn carries the client's messages; a *websocket.Conn is one.
type Conn interface {
	Read(ctx context.Context) (websocket.MessageType, []byte, error)
	Write(ctx context.Context, typ websocket.MessageType, p []byte) error
	CloseNow() error
}

// New is a Client on conn, closed when the test ends.
func New(t testing.TB, conn Conn) *Client {
	t.Cleanup(func() { _ = conn.CloseNow() })
	return &Client{T: t, Conn: conn}
}

// Dial opens a websocket to url (ws://…/tunnel) offering smtplay.v1.
func Dial(t testing.TB, url string) *Client {
	t.Helper()
	c, resp, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	if got := c.Subprotocol(); got != wire.Subprotocol {
		t.Fatalf("subprotocol %q, want %q (status %d)", got, wire.Subprotocol, resp.StatusCode)
	}
	c.SetReadLimit(1 << 20)
	return New(t, c)
}

// JSON sends v as a text frame.
func (c *Client) JSON(v any) {
	c.T.Helper()
	data, _ := json.Marshal(v)
	c.Raw(websocket.MessageText, data)
}

// Raw sends one message as it is.
func (c *Client) Raw(typ websocket.MessageType, data []byte) {
	c.T.Helper()
	if err := c.Conn.Write(context.Background(), typ, data); err != nil {
		c.T.Fatalf("write: %v", err)
	}
}

// Send sends SMTP bytes in one binary frame.
func (c *Client) Send(frame string) { c.T.Helper(); c.Raw(websocket.MessageBinary, []byte(frame)) }

// Open opens target by name and returns the opened message.
func (c *Client) Open(target string) wire.Opened {
	c.T.Helper()
	return c.OpenWith(wire.Open{Target: target})
}

// OpenWith sends o and returns the opened message.
func (c *Client) OpenWith(o wire.Open) wire.Opened {
	c.T.Helper()
	o.Type = wire.TypeOpen
	c.JSON(o)
	var opened wire.Opened
	c.Expect(wire.TypeOpened, &opened)
	return opened
}

// Next reads one message: a binary frame comes back as ("", bytes), a text
// frame as (its type, its JSON). A text frame that is not one of the
// contract's messages fails the test.
func (c *Client) Next() (string, []byte) {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	typ, data, err := c.Conn.Read(ctx)
	if err != nil {
		c.T.Fatalf("read: %v", err)
	}
	if typ == websocket.MessageBinary {
		return "", data
	}
	msg, err := wire.DecodeServer(data)
	if err != nil {
		c.T.Fatalf("the proxy sent %q: %v", data, err)
	}
	return msg.MessageType(), data
}

// Line expects the next message to be the server line want.
func (c *Client) Line(want string) {
	c.T.Helper()
	typ, data := c.Next()
	if typ != "" || string(data) != want {
		c.T.Fatalf("got %s %q, want server line %q", typ, data, want)
	}
}

// Reply reads server lines up to the last line of one reply and returns them.
func (c *Client) Reply() string {
	c.T.Helper()
	var b strings.Builder
	for {
		typ, data := c.Next()
		if typ != "" {
			c.T.Fatalf("got %s %q inside a reply", typ, data)
		}
		b.Write(data)
		if len(data) < 4 || data[3] != '-' {
			return b.String()
		}
	}
}

// Expect reads the next message, which must be JSON of type typ, into v (if not nil).
func (c *Client) Expect(typ string, v any) {
	c.T.Helper()
	got, data := c.Next()
	if got != typ {
		c.T.Fatalf("got %s %q, want a %s message", got, data, typ)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			c.T.Fatal(err)
		}
	}
}

// Error expects an error message with code, whose text is a sentence.
func (c *Client) Error(code wire.Code) wire.Error {
	c.T.Helper()
	var e wire.Error
	c.Expect(wire.TypeError, &e)
	if e.Code != code {
		c.T.Fatalf("error %s (%q), want %s", e.Code, e.Message, code)
	}
	if len(e.Message) < 20 {
		c.T.Fatalf("error message %q is not a sentence", e.Message)
	}
	if s, ok := e.Said(); !ok || !s.Known() || s.English() != e.Message {
		c.T.Fatalf("error message %q has detail %q %v, which does not render it", e.Message, e.Detail, e.Args)
	}
	return e
}

// Closed expects a closed message by by.
func (c *Client) Closed(by string) wire.Closed {
	c.T.Helper()
	var cl wire.Closed
	c.Expect(wire.TypeClosed, &cl)
	if cl.By != by {
		c.T.Fatalf("closed by %s (%q), want %s", cl.By, cl.Reason, by)
	}
	if s, ok := cl.Said(); !ok || !s.Known() || s.English() != cl.Reason {
		c.T.Fatalf("closed reason %q has detail %q %v, which does not render it", cl.Reason, cl.Detail, cl.Args)
	}
	return cl
}

// End expects an error with code, then closed by the proxy, then the websocket to close.
func (c *Client) End(code wire.Code) wire.Error {
	c.T.Helper()
	e := c.Error(code)
	c.Closed(wire.ByProxy)
	c.Gone()
	return e
}

// Gone expects the websocket to close.
func (c *Client) Gone() {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if typ, data, err := c.Conn.Read(ctx); err == nil {
		c.T.Fatalf("websocket still open: got %v %q", typ, data)
	}
}
