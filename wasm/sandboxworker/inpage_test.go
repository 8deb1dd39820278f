//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wasm/msgport"
	"github.com/smtplay/smtplay/wire"
)

// The proxy's contract checks (proxy/server TestSeedFlowThroughTunnelOnSandbox:
// the seed's session, bad requests and opens, frame refusals, the
// delivered event) run against the in-page sandbox: each session goes
// through a real MessageChannel into handle, as the worker script hands
// it the page's messages, and the mailbox API is asked the same way.
func TestSeedSessionOverMessagePort(t *testing.T) {
	p, err := newInPage()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shutdown(t, p) })
	dial := func(t testing.TB) *tunneltest.Client {
		ch := js.Global().Get("MessageChannel").New()
		p.handle(context.Background(), js.ValueOf(map[string]any{"tunnel": ch.Get("port2")}))
		return tunneltest.New(t, clientPort{msgport.New(ch.Get("port1"), 2*wire.MaxMessage)})
	}
	tunneltest.Contract(t, dial, func(path string) (int, []byte) { return fetchOverPort(t, p, path) })
}

// A message over the tunnel's limit closes the port with 1009, as the
// proxy's websocket does (proxy/tunnel TestOversizedMessageClosesWith1009).
func TestMessageOverLimitClosesPort(t *testing.T) {
	p, err := newInPage()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { shutdown(t, p) })
	ch := js.Global().Get("MessageChannel").New()
	p.handle(context.Background(), js.ValueOf(map[string]any{"tunnel": ch.Get("port2")}))
	c := tunneltest.New(t, clientPort{msgport.New(ch.Get("port1"), 2*wire.MaxMessage)})
	c.Raw(websocket.MessageBinary, make([]byte, 2<<20))
	ctx, cancel := context.WithTimeout(context.Background(), tunneltest.Timeout)
	defer cancel()
	for {
		_, _, err := c.Conn.Read(ctx)
		var closed *msgport.Closed
		if errors.As(err, &closed) && closed.Code == msgport.CloseTooBig {
			return
		}
		if err != nil {
			t.Fatalf("read: %v, want a close with 1009", err)
		}
	}
}

// fetchOverPort asks the in-page API for path through a MessageChannel, as
// static/offline.js does.
func fetchOverPort(t *testing.T, p *inPage, path string) (int, []byte) {
	t.Helper()
	ch := js.Global().Get("MessageChannel").New()
	type answer struct {
		status int
		body   []byte
	}
	got := make(chan answer, 1)
	onmessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		u := js.Global().Get("Uint8Array").New(d.Get("body"))
		body := make([]byte, u.Length())
		js.CopyBytesToGo(body, u)
		got <- answer{d.Get("status").Int(), body}
		return nil
	})
	defer onmessage.Release()
	mine := ch.Get("port1")
	mine.Set("onmessage", onmessage)
	defer mine.Call("close")
	p.handle(context.Background(), js.ValueOf(map[string]any{"fetch": path, "port": ch.Get("port2")}))
	select {
	case a := <-got:
		return a.status, a.body
	case <-time.After(tunneltest.Timeout):
		t.Fatalf("no answer to %s", path)
		return 0, nil
	}
}

func shutdown(t *testing.T, p *inPage) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.tunnel.Shutdown(ctx); err != nil {
		t.Error(err)
	}
	if err := p.sb.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}

// clientPort is the page's end of a session, in tunneltest's terms.
type clientPort struct{ p *msgport.Port }

func (c clientPort) Read(ctx context.Context) (websocket.MessageType, []byte, error) {
	text, data, err := c.p.Read(ctx)
	if text {
		return websocket.MessageText, data, err
	}
	return websocket.MessageBinary, data, err
}

func (c clientPort) Write(ctx context.Context, typ websocket.MessageType, data []byte) error {
	return c.p.Write(ctx, typ == websocket.MessageText, data)
}

func (c clientPort) CloseNow() error { return c.p.Close(int(websocket.StatusNormalClosure), "") }
