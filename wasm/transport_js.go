//go:build js && wasm

package main

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"syscall/js"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wire"
)

// errClosed is what Read returns once the page itself closed the socket.
var errClosed = errors.New("websocket closed")

// message is one message as onmessage got it.
type message struct {
	text bool
	data []byte
}

// wsTransport is a console.Transport over the page's own WebSocket, so
// that main.wasm needs neither net/http nor crypto/tls: the browser does
// the handshake and TLS. The callbacks never wait: onmessage appends to a
// queue under a mutex and wakes the reader through a channel of one.
type wsTransport struct {
	ws js.Value

	mu    sync.Mutex
	queue []message
	err   error // why the socket ended; Read returns it once the queue is read
	wake  chan struct{}

	opened chan struct{} // closed by onopen
	funcs  []js.Func     // released once the socket is closed
}

// dialWebSocket is the page's console.Dialer.
func dialWebSocket(ctx context.Context, url string) (_ console.Transport, err error) {
	defer recoverJS(&err)
	ws := js.Global().Get("WebSocket").New(url, []any{wire.Subprotocol})
	ws.Set("binaryType", "arraybuffer")
	t := watch(ws)
	for err == nil {
		select {
		case <-t.opened:
			return t, nil
		case <-t.wake:
			// A message may have come in with open: Read finds it queued.
			select {
			case <-t.opened:
				return t, nil
			default:
			}
			t.mu.Lock()
			err = t.err
			t.mu.Unlock()
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	_ = t.Close("dial abandoned")
	return nil, err
}

// adoptWebSocket takes over a socket the page opened before the Go half
// ran (static/earlytunnel.js): one that is open, or closed already, with
// binaryType arraybuffer. got is what its onmessage received until now, in
// order (strings and ArrayBuffers); Read returns those first. It must be
// called in the task that reads got, so that no message falls between.
func adoptWebSocket(ws, got js.Value) (_ console.Transport, err error) {
	defer recoverJS(&err)
	t := watch(ws)
	for i := range got.Length() {
		t.onData(got.Index(i))
	}
	if ws.Get("readyState").Int() == 3 { // CLOSED: its close event went to the page
		t.end(errors.New("websocket closed before the console ran"))
		t.release()
	}
	return t, nil
}

// watch makes the transport of ws and takes its events.
func watch(ws js.Value) *wsTransport {
	t := &wsTransport{ws: ws, wake: make(chan struct{}, 1), opened: make(chan struct{})}
	t.on("open", func(js.Value) { close(t.opened) })
	t.on("message", func(ev js.Value) { t.onData(ev.Get("data")) })
	t.on("error", func(js.Value) { t.end(errors.New("websocket error")) })
	t.on("close", func(ev js.Value) {
		t.end(errors.New("websocket closed: " + strconv.Itoa(ev.Get("code").Int()) + " " + ev.Get("reason").String()))
		t.release()
	})
	return t
}

// on sets the socket's on<name> handler to f, never waiting.
func (t *wsTransport) on(name string, f func(ev js.Value)) {
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		f(arg(args, 0))
		return nil
	})
	t.funcs = append(t.funcs, fn)
	t.ws.Set("on"+name, fn)
}

// release takes the handlers off the socket and frees them; no event comes
// after close.
func (t *wsTransport) release() {
	for _, name := range []string{"onopen", "onmessage", "onerror", "onclose"} {
		t.ws.Set(name, js.Null())
	}
	for _, f := range t.funcs {
		f.Release()
	}
	t.funcs = nil
}

// onData queues one message's data: a string is text, an ArrayBuffer
// binary.
func (t *wsTransport) onData(d js.Value) {
	var m message
	if d.Type() == js.TypeString {
		m = message{text: true, data: []byte(d.String())}
	} else {
		u := js.Global().Get("Uint8Array").New(d)
		m.data = make([]byte, u.Length())
		js.CopyBytesToGo(m.data, u)
	}
	if len(m.data) > console.ReadLimit {
		t.end(errors.New("websocket message of " + strconv.Itoa(len(m.data)) + " bytes, over the limit of " + strconv.Itoa(console.ReadLimit)))
		t.closeSocket(1009, "message too big")
		return
	}
	t.mu.Lock()
	if t.err == nil {
		t.queue = append(t.queue, m)
	}
	t.mu.Unlock()
	t.signal()
}

// end records why the socket ended, the first reason only.
func (t *wsTransport) end(err error) {
	t.mu.Lock()
	if t.err == nil {
		t.err = err
	}
	t.mu.Unlock()
	t.signal()
}

func (t *wsTransport) signal() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

func (t *wsTransport) Read(ctx context.Context) (bool, []byte, error) {
	for {
		t.mu.Lock()
		if len(t.queue) > 0 {
			m := t.queue[0]
			t.queue[0] = message{}
			t.queue = t.queue[1:]
			t.mu.Unlock()
			return m.text, m.data, nil
		}
		err := t.err
		t.mu.Unlock()
		if err != nil {
			return false, nil, err
		}
		select {
		case <-t.wake:
		case <-ctx.Done():
			return false, nil, ctx.Err()
		}
	}
}

func (t *wsTransport) Write(ctx context.Context, text bool, data []byte) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.mu.Lock()
	err = t.err
	t.mu.Unlock()
	if err != nil {
		return err
	}
	defer recoverJS(&err)
	if text {
		t.ws.Call("send", string(data))
		return nil
	}
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	t.ws.Call("send", u)
	return nil
}

// Close asks the browser to close with 1000 and reason, and returns at
// once; the close event releases the handlers.
func (t *wsTransport) Close(reason string) error {
	t.end(errClosed)
	return t.closeSocket(1000, reason)
}

// closeSocket calls the socket's close(code, reason); the browser allows a
// reason of at most 123 bytes.
func (t *wsTransport) closeSocket(code int, reason string) (err error) {
	defer recoverJS(&err)
	if len(reason) > 123 {
		n := 123
		for n > 0 && !utf8.RuneStart(reason[n]) {
			n--
		}
		reason = reason[:n]
	}
	t.ws.Call("close", code, reason)
	return nil
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

// panicText is what a recovered value says: an error's or a string's text,
// else its kind only (the page does not link fmt to print it).
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic with a value that is neither an error nor a string"
}
