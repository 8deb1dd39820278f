//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/tunnel"
	"github.com/smtplay/smtplay/wasm/msgport"
)

// portPeer is a tunnel.Peer over one end of a MessageChannel.
type portPeer struct{ p *msgport.Port }

func newPortPeer(port js.Value) portPeer {
	return portPeer{msgport.New(port, tunnel.PeerReadLimit)}
}

func (pp portPeer) Read(ctx context.Context) (websocket.MessageType, []byte, error) {
	text, data, err := pp.p.Read(ctx)
	if errors.Is(err, msgport.ErrTooBig) {
		return 0, nil, websocket.CloseError{Code: websocket.StatusMessageTooBig, Reason: "message too big"}
	}
	if err != nil {
		return 0, nil, err
	}
	if text {
		return websocket.MessageText, data, nil
	}
	return websocket.MessageBinary, data, nil
}

func (pp portPeer) Write(ctx context.Context, typ websocket.MessageType, data []byte) error {
	return pp.p.Write(ctx, typ == websocket.MessageText, data)
}

func (pp portPeer) Close(code websocket.StatusCode, reason string) error {
	return pp.p.Close(int(code), reason)
}
