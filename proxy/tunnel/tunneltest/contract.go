package tunneltest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// Dialer opens one new session's client end on a transport: a websocket to
// the proxy, a peer served by tunnel.ServePeer, a MessagePort into the
// in-page sandbox.
type Dialer func(t testing.TB) *Client

// Contract runs, each as a subtest, the checks of the tunnel contract
// (docs/PROTOCOL.md) that do not depend on the transport, against the
// "sandbox" target behind dial and the JSON API behind api: whatever
// carries the messages, the same errors, events and replies come back.
// The proxy's websocket, tunnel.ServePeer and the in-page sandbox's
// MessagePort all run it, so they cannot drift.
func Contract(t *testing.T, dial Dialer, api API) {
	for _, c := range contractChecks {
		t.Run(c.name, func(t *testing.T) { c.check(t, dial, api) })
	}
}

// contractChecks are Contract's subtests, in order.
var contractChecks = []struct {
	name  string
	check func(t *testing.T, dial Dialer, api API)
}{
	{"seed", func(t *testing.T, dial Dialer, api API) { SeedSession(dial(t), api) }},
	{"bad-requests", func(t *testing.T, dial Dialer, _ API) { BadRequests(dial(t)) }},
	{"bad-opens", BadOpens},
	{"frame-refusals", func(t *testing.T, dial Dialer, _ API) { FrameRefusals(dial(t)) }},
	{"delivered", func(t *testing.T, dial Dialer, api API) { Delivered(dial(t), api) }},
	{"wire", func(t *testing.T, dial Dialer, _ API) { Wire(dial(t)); WireMalformed(dial(t)) }},
}

// BadRequests checks that what is not a message of the contract gets
// bad_request and leaves the session usable: binary before opened, text
// that is not JSON, an unknown type, no type, text that is not UTF-8, and
// a second open after the first.
func BadRequests(c *Client) {
	c.T.Helper()
	c.Send("EHLO x\r\n")
	c.Error(wire.BadRequest) // binary before opened
	for _, text := range []string{"{not json", `{"type":"launch"}`, `{"target":"sandbox"}`, "\xff\xfe"} {
		c.Raw(websocket.MessageText, []byte(text))
		c.Error(wire.BadRequest)
	}
	c.Open("sandbox")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		c.T.Fatalf("greeting %q", r)
	}
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	c.Error(wire.BadRequest) // second open
	c.Send("NOOP\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		c.T.Fatalf("NOOP after the refusals: %q", r)
	}
}

// BadOpens checks that an open the tunnel cannot honour ends the session,
// each on a session of its own: an error with its code, then closed by
// the proxy, then the transport closed.
func BadOpens(t *testing.T, dial Dialer, _ API) {
	for _, tc := range []struct {
		name string
		open wire.Open
		code wire.Code
	}{
		{"unknown target", wire.Open{Target: "gmail"}, wire.NotAllowed},
		{"host not listed", wire.Open{Host: "10.0.0.1", Port: 22}, wire.NotAllowed},
		{"both target and host", wire.Open{Target: "sandbox", Host: "localhost", Port: 25}, wire.BadRequest},
		{"nothing", wire.Open{}, wire.BadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t)
			tc.open.Type = wire.TypeOpen
			c.JSON(tc.open)
			c.End(tc.code)
		})
	}
}

// FrameRefusals checks the frame rules on an opened session: a frame that
// is not whole CRLF lines is bad_line_ending, one over wire.MaxMessage is
// frame_too_large, a line after one whose reply decides what may follow
// is reply_pending; none reaches the server, and the session goes on.
func FrameRefusals(c *Client) {
	c.T.Helper()
	c.Open("sandbox")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		c.T.Fatalf("greeting %q", r)
	}
	for _, frame := range []string{"RCPT TO:<a@b>\nDATA\r\n", "\n.\n", "\r.\r\n", "NOOP", "NOOP\r\nNO\x00OP\r\n", ""} {
		c.Send(frame)
		c.Error(wire.BadLineEnding)
	}
	c.Send(strings.Repeat("x", wire.MaxMessage-1) + "\r\n")
	c.Error(wire.FrameTooLarge)
	c.Send("STARTTLS\r\nEHLO x\r\n")
	c.Error(wire.ReplyPending)
	c.Send("EHLO frames.test\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250") {
		c.T.Fatalf("EHLO after the refusals: %q", r)
	}
}

// Delivered checks the delivered event of a message to two recipients
// from the null sender, on the lenient sandbox without TLS or AUTH: it
// follows the 250 after the final dot, names the message as the mailbox
// API lists it, and the API has its bytes.
func Delivered(c *Client, api API) {
	t := c.T
	t.Helper()
	const content = "From: <one@example.org>\r\n\r\nno subject\r\n"
	opened := c.Open("sandbox")
	c.Reply()
	for _, step := range []struct{ send, want string }{
		{"EHLO delivered.test\r\n", "250"},
		{"MAIL FROM:<>\r\n", "250 "},
		{"RCPT TO:<one@example.org>\r\n", "250 "},
		{"RCPT TO:<two@example.org>\r\n", "250 "},
		{"DATA\r\n", "354 "},
		{content + ".\r\n", "250 "},
	} {
		c.Send(step.send)
		if r := c.Reply(); !strings.HasPrefix(r, step.want) {
			t.Fatalf("%q: %q, want %s", step.send, r, step.want)
		}
	}
	var d wire.Delivered
	c.Expect(wire.TypeDelivered, &d)
	if d.ID == "" || d.From != "" || d.Subject != "" || len(d.To) != 2 || d.To[0] != "one@example.org" || d.To[1] != "two@example.org" {
		t.Fatalf("delivered %+v", d)
	}
	var list struct{ Messages []struct{ ID string } }
	getJSON(t, api, "api/sandbox/"+opened.Mailbox+"/messages", &list)
	if len(list.Messages) != 1 || list.Messages[0].ID != d.ID || d.Size != len(content) {
		t.Fatalf("mailbox %+v, delivered %+v", list, d)
	}
	if status, raw := api("api/sandbox/" + opened.Mailbox + "/messages/" + d.ID + "/raw"); status != 200 || !strings.HasSuffix(string(raw), "\r\n\r\nno subject\r\n") {
		t.Fatalf("raw message %d %q", status, raw)
	}
	c.Send("QUIT\r\n")
	c.Reply()
	c.Closed(wire.ByServer)
}

// Wire checks the wire option: a session opened with it gets wire
// messages beside the replies, whose chunks, joined in offset order, are
// the bytes of the server leg in each direction (here EHLO and QUIT up,
// the greeting and replies down), all sent before closed.
func Wire(c *Client) {
	t := c.T
	t.Helper()
	if o := c.OpenWith(wire.Open{Target: "sandbox", Wire: true}); !o.Wire {
		t.Fatalf("opened %+v, want wire", o)
	}
	streams := map[string]*bytes.Buffer{wire.DirUp: {}, wire.DirDown: {}}
	var replies strings.Builder
	// next reads up to the next message of type want, keeping server lines
	// and wire chunks aside.
	next := func(want string) {
		for {
			typ, data := c.Next()
			switch typ {
			case "":
				replies.Write(data)
				if want == "" && (len(data) < 4 || data[3] != '-') {
					return
				}
				continue
			case wire.TypeWire:
				var m wire.Wire
				if err := json.Unmarshal(data, &m); err != nil {
					t.Fatal(err)
				}
				for _, ch := range m.Chunks {
					s := streams[ch.Dir]
					if s == nil || ch.Offset != int64(s.Len()) || ch.Time == 0 || len(ch.Data) == 0 {
						t.Fatalf("wire chunk %s at %d (have %d), time %d, %d bytes", ch.Dir, ch.Offset, s.Len(), ch.Time, len(ch.Data))
					}
					s.Write(ch.Data)
				}
				continue
			}
			if typ != want {
				t.Fatalf("got %s %q, want %s", typ, data, want)
			}
			return
		}
	}
	next("") // the greeting
	c.Send("EHLO wire.test\r\n")
	next("")
	c.Send("QUIT\r\n")
	next("")
	next(wire.TypeClosed)
	if up := streams[wire.DirUp].String(); up != "EHLO wire.test\r\nQUIT\r\n" {
		t.Fatalf("wire up %q", up)
	}
	if down := streams[wire.DirDown].String(); down != replies.String() || !strings.HasPrefix(down, "220 ") {
		t.Fatalf("wire down %q, the replies %q", down, replies.String())
	}
}

// WireMalformed checks that a wire option that is not a boolean makes the
// open malformed, which ends the session like any refused open.
func WireMalformed(c *Client) {
	c.T.Helper()
	c.Raw(websocket.MessageText, []byte(`{"type":"open","target":"sandbox","wire":"yes"}`))
	if e := c.End(wire.BadRequest); e.Detail != "open-malformed" {
		c.T.Fatalf("error %+v", e)
	}
}
