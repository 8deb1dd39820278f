package console

import (
	"context"
	"errors"

	"github.com/smtplay/smtplay/internal/pagejson"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// errNoDialer is what Connect meets on a Console made without a Dialer.
var errNoDialer = errors.New("no dialer")

// run dials the tunnel, opens the target (unless the open went already,
// sendOpen false) and reads until the end.
func (c *Console) run(ctx context.Context, gen int, t Target, sendOpen bool, dial func(context.Context) (Transport, error)) {
	conn, err := dial(ctx)
	if err != nil {
		c.do(func() { c.lostLocked(gen, CodeUnreachable) })
		return
	}
	ok := false
	c.do(func() {
		if gen != c.gen {
			return
		}
		c.conn, ok = conn, true
		if sendOpen {
			c.writeJSONLocked(wire.Open{Type: wire.TypeOpen, Target: t.Name, Host: t.Host, Port: t.Port, Mailbox: t.Mailbox, Wire: c.wireOn})
		}
	})
	if !ok {
		_ = conn.Close(reasonSuperseded)
		return
	}
	defer conn.Close(reasonDone)
	for {
		text, data, err := conn.Read(ctx)
		if err != nil {
			c.do(func() { c.lostLocked(gen, CodeLost) })
			return
		}
		c.do(func() {
			if gen != c.gen {
				return
			}
			if text {
				c.messageLocked(data)
			} else {
				c.serverLocked(data)
			}
		})
	}
}

// serverLocked hands server bytes to the engine.
func (c *Console) serverLocked(data []byte) {
	if c.sess == nil {
		return
	}
	c.pushLocked(Event{Type: EventServer, Session: c.sess.Receive(data)})
	c.pumpLocked()
}

// messageLocked handles one JSON message of the contract; one it cannot
// decode is ignored.
func (c *Console) messageLocked(data []byte) {
	msg, err := wire.DecodeServer(data)
	if err != nil {
		return
	}
	switch m := msg.(type) {
	case *wire.Opened:
		c.openedLocked(m)
	case *wire.TLS:
		c.tlsLocked(m)
	case *wire.Delivered:
		c.pushLocked(Event{Type: EventDelivered, Delivered: m})
	case *wire.Error:
		c.errorLocked(*m)
	case *wire.Closed:
		c.closedLocked(m)
	case *wire.Wire:
		c.wireLocked(m)
	}
}

// openedLocked starts the engine on a connected session.
func (c *Console) openedLocked(o *wire.Opened) {
	c.opened, c.status = o, StatusOpen
	c.sess = session.New(session.Options{Sandbox: o.Remote == "sandbox", Profile: o.Profile,
		Submission: o.Port == 587 || o.Port == 465})
	c.pushLocked(Event{Type: EventOpened, Opened: o})
}

// tlsLocked tells the engine TLS is up on the proxy's leg.
func (c *Console) tlsLocked(t *wire.TLS) {
	if c.sess == nil {
		return
	}
	c.tls = t
	evs := c.sess.TLSStarted(session.TLSInfo{Version: t.Version, Cipher: t.Cipher, ServerName: t.ServerName,
		Verified: t.Verified, VerifyError: t.VerifyError, Discarded: t.Discarded})
	c.pushLocked(Event{Type: EventTLS, TLS: t, Session: evs})
	c.pumpLocked()
}

// closedLocked reports the end of the session, and who ended it.
func (c *Console) closedLocked(cl *wire.Closed) {
	text := ClosedSentence(*cl)
	ev := Event{Type: EventClosed, Closed: cl, Text: text}
	if c.sess != nil {
		s, named := cl.Said()
		ev.Session = c.sess.Closed(cl.By, proxySaid(s, named, cl.Reason))
	}
	c.finishLocked()
	c.pushLocked(ev)
}

// errorLocked reports a tunnel error. A refused frame goes to the engine,
// which takes the line off those waiting for a reply; the queue behind it
// is dropped, since it was written for a conversation that did not happen.
func (c *Console) errorLocked(e wire.Error) {
	refusal := c.status == StatusOpen && refusesFrame[e.Code]
	s, named := e.Said()
	sentence := ReasonSentence(e.Code, s.Key)
	if refusal {
		sentence = RefusalSentence(e.Code)
	}
	said := proxySaid(s, named, e.Message)
	ev := Event{Type: EventError, Error: &Error{Code: e.Code, Sentence: sentence, Message: e.Message, Said: said, Ends: !refusal}}
	if refusal && c.sess != nil {
		ev.Session = c.sess.Refused(string(e.Code), said)
	}
	c.pushLocked(ev)
	if refusal {
		c.dropLocked(say("dropped.why.refused"))
	}
}

// lostLocked reports a websocket that ended without the proxy's closed
// message, or that could not be opened.
func (c *Console) lostLocked(gen int, code wire.Code) {
	if gen != c.gen || c.status == StatusClosed {
		return
	}
	sentence := Sentence(code)
	ev := Event{Type: EventError, Error: &Error{Code: code, Sentence: sentence, Ends: true}}
	if c.sess != nil {
		ev.Session = c.sess.Closed(wire.ByProxy, say("lost.reason"))
	}
	c.finishLocked()
	c.pushLocked(ev)
}

// finishLocked marks the session over.
func (c *Console) finishLocked() {
	c.dropLocked(say("dropped.why.over"))
	c.status = StatusClosed
	if c.cancel != nil {
		c.cancel()
	}
}

// writeJSONLocked sends one contract message; a failed write shows up as a
// lost connection on the next read.
func (c *Console) writeJSONLocked(v any) {
	if c.conn == nil {
		return
	}
	data, _ := pagejson.Marshal(v)
	_ = c.conn.Write(c.ctx, true, data)
}
