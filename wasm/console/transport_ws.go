//go:build !js

package console

import (
	"context"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// DialWebSocket is the native Dialer, over coder/websocket: tests and
// native programs use it. The page (js/wasm) has its own over the
// browser's WebSocket, in package main, so that the HTTP stack stays out
// of main.wasm.
func DialWebSocket(ctx context.Context, url string) (Transport, error) {
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(ReadLimit)
	return wsTransport{conn}, nil
}

// wsTransport is a Transport over a coder/websocket connection.
type wsTransport struct{ c *websocket.Conn }

func (t wsTransport) Read(ctx context.Context) (bool, []byte, error) {
	typ, data, err := t.c.Read(ctx)
	return typ == websocket.MessageText, data, err
}

func (t wsTransport) Write(ctx context.Context, text bool, data []byte) error {
	typ := websocket.MessageBinary
	if text {
		typ = websocket.MessageText
	}
	return t.c.Write(ctx, typ, data)
}

func (t wsTransport) Close(reason string) error {
	return t.c.Close(websocket.StatusNormalClosure, reason)
}
