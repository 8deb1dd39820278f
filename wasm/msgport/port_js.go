//go:build js && wasm

// Package msgport carries whole messages over a JavaScript MessagePort, the
// in-page transport of docs/PROTOCOL.md: a string is a text message, an
// ArrayBuffer a binary one, and {close: code, reason} ends the conversation
// as a WebSocket's close frame would. The page's console and the in-page
// sandbox's tunnel each hold one end of a MessageChannel.
package msgport

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"syscall/js"
)

// Closed is what Read returns once the other end closed with code and reason.
type Closed struct {
	Code   int
	Reason string
}

func (c *Closed) Error() string {
	return "message port closed: " + strconv.Itoa(c.Code) + " " + c.Reason
}

// ErrTooBig is what Read returns once a message over the limit arrived; the
// other end is told with close code 1009, as a websocket would.
var ErrTooBig = errors.New("message port: a message over the size limit arrived")

// errClosedHere is what Read and Write return once this end closed.
var errClosedHere = errors.New("message port closed by this end")

// CloseTooBig is the close code for a message over the limit (RFC 6455 1009).
const CloseTooBig = 1009

// message is one message as onmessage got it.
type message struct {
	text bool
	data []byte
}

// Port is one end of a MessageChannel. The onmessage callback never waits:
// it appends to a queue under a mutex and wakes the reader through a
// channel of one.
type Port struct {
	port  js.Value
	limit int

	mu    sync.Mutex
	queue []message
	err   error // why the conversation ended; Read returns it once the queue is read
	wake  chan struct{}

	onmessage js.Func
	released  bool
}

// New starts reading port; a message longer than limit bytes ends it.
func New(port js.Value, limit int) *Port {
	p := &Port{port: port, limit: limit, wake: make(chan struct{}, 1)}
	p.onmessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			p.receive(args[0].Get("data"))
		}
		return nil
	})
	port.Set("onmessage", p.onmessage) // also starts the port
	return p
}

// receive queues one message, or ends the conversation on a close.
func (p *Port) receive(d js.Value) {
	var m message
	switch {
	case d.Type() == js.TypeString:
		m = message{text: true, data: []byte(d.String())}
	case d.InstanceOf(js.Global().Get("ArrayBuffer")) || js.Global().Get("ArrayBuffer").Call("isView", d).Bool():
		u := js.Global().Get("Uint8Array").New(d)
		if u.Length() > p.limit {
			p.end(ErrTooBig)
			p.shut(CloseTooBig, "message too big")
			return
		}
		m.data = make([]byte, u.Length())
		js.CopyBytesToGo(m.data, u)
	case d.Type() == js.TypeObject && d.Get("close").Type() == js.TypeNumber:
		reason := ""
		if r := d.Get("reason"); r.Type() == js.TypeString {
			reason = r.String()
		}
		p.end(&Closed{Code: d.Get("close").Int(), Reason: reason})
		p.release()
		return
	default:
		return // not a message of the contract: ignored, as a browser ignores junk
	}
	if len(m.data) > p.limit {
		p.end(ErrTooBig)
		p.shut(CloseTooBig, "message too big")
		return
	}
	p.mu.Lock()
	if p.err == nil {
		p.queue = append(p.queue, m)
	}
	p.mu.Unlock()
	p.signal()
}

// end records why the conversation ended, the first reason only.
func (p *Port) end(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.signal()
}

func (p *Port) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Read returns the next whole message and whether it is text. Messages that
// arrived before the end are read first.
func (p *Port) Read(ctx context.Context) (bool, []byte, error) {
	for {
		p.mu.Lock()
		if len(p.queue) > 0 {
			m := p.queue[0]
			p.queue[0] = message{}
			p.queue = p.queue[1:]
			p.mu.Unlock()
			return m.text, m.data, nil
		}
		err := p.err
		p.mu.Unlock()
		if err != nil {
			return false, nil, err
		}
		select {
		case <-p.wake:
		case <-ctx.Done():
			return false, nil, ctx.Err()
		}
	}
}

// Write posts one whole message: text as a string, binary as an
// ArrayBuffer handed over without a copy.
func (p *Port) Write(ctx context.Context, text bool, data []byte) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	err = p.err
	p.mu.Unlock()
	if err != nil {
		return err
	}
	defer recoverJS(&err)
	if text {
		p.port.Call("postMessage", string(data))
		return nil
	}
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	buf := u.Get("buffer")
	p.port.Call("postMessage", buf, []any{buf})
	return nil
}

// Close tells the other end {close: code, reason} and closes this end; a
// Read waiting returns an error. It may be called more than once.
func (p *Port) Close(code int, reason string) error {
	p.end(errClosedHere)
	return p.shut(code, reason)
}

// shut posts the close message once and lets the port go.
func (p *Port) shut(code int, reason string) (err error) {
	p.mu.Lock()
	done := p.released
	p.mu.Unlock()
	if done {
		return nil
	}
	defer recoverJS(&err)
	p.port.Call("postMessage", map[string]any{"close": code, "reason": reason})
	p.release()
	return nil
}

// release takes the handler off the port, closes it and frees the callback.
func (p *Port) release() {
	p.mu.Lock()
	if p.released {
		p.mu.Unlock()
		return
	}
	p.released = true
	p.mu.Unlock()
	p.port.Set("onmessage", js.Null())
	p.port.Call("close")
	p.onmessage.Release()
}

// recoverJS turns an exception thrown by a JavaScript call into err.
func recoverJS(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(error); ok {
			*err = e
		} else {
			*err = errors.New(panicText(r))
		}
	}
}

// panicText is what a recovered value that is not an error says: a
// string, else its kind only (the page does not link fmt to print it).
func panicText(r any) string {
	if s, ok := r.(string); ok {
		return s
	}
	return "panic with a value that is not an error"
}
