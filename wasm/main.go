//go:build js && wasm

// Command wasm is the page's Go half, compiled to WebAssembly: the only
// package that touches syscall/js. It opens the tunnel with coder/websocket's
// browser client and hands every message to the page's JavaScript.
package main

import (
	"context"
	"encoding/json"
	"syscall/js"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/wire"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("connect", js.FuncOf(connect))
	api.Set("send", js.FuncOf(send))
	api.Set("close", js.FuncOf(closeSession))
	js.Global().Set("smtplay", api)
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("smtplay-ready"))
	select {}
}

var conn *websocket.Conn

// emit hands one event to the page: kind is "server" (an SMTP line), "event"
// (a JSON message of the contract) or "gone" (the websocket closed).
func emit(kind, text string) {
	js.Global().Get("smtplay").Call("onmessage", kind, text)
}

// connect(url, target): never blocks the callback; the dial runs in a goroutine.
func connect(this js.Value, args []js.Value) any {
	url, target := args[0].String(), args[1].String()
	go func() {
		ctx := context.Background()
		c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
		if err != nil {
			emit("gone", "the tunnel could not be opened: "+err.Error())
			return
		}
		c.SetReadLimit(1 << 20)
		conn = c
		open, _ := json.Marshal(wire.Open{Type: wire.TypeOpen, Target: target})
		_ = c.Write(ctx, websocket.MessageText, open)
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				emit("gone", "the connection to the playground was lost")
				return
			}
			if typ == websocket.MessageBinary {
				emit("server", string(data))
			} else {
				emit("event", string(data))
			}
		}
	}()
	return nil
}

// send(text): text is one or more lines; each is sent with CRLF.
func send(this js.Value, args []js.Value) any {
	if conn != nil {
		_ = conn.Write(context.Background(), websocket.MessageBinary, []byte(args[0].String()))
	}
	return nil
}

func closeSession(this js.Value, args []js.Value) any {
	if conn != nil {
		msg, _ := json.Marshal(wire.Close{Type: wire.TypeClose})
		_ = conn.Write(context.Background(), websocket.MessageText, msg)
	}
	return nil
}
