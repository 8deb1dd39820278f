//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/msgport"
)

// inPageURL is the tunnel address of the in-page sandbox: connect(inPageURL,
// target) asks the page's offline layer (static/offline.js, the global
// smtplayOffline) for a MessagePort to the sandbox's worker instead of
// opening a WebSocket (docs/PROTOCOL.md, "In-page transport").
const inPageURL = "inpage:tunnel"

// errNoInPage is what connecting to the in-page sandbox says when the page
// has not started it.
var errNoInPage = errors.New("the in-page sandbox is not running: open the page with #offline, or reach a smtplay server")

// dial is the page's console.Dialer: the in-page sandbox for inPageURL, the
// browser's WebSocket for anything else.
func dial(ctx context.Context, url string) (console.Transport, error) {
	if url == inPageURL {
		return dialPort(ctx)
	}
	return dialWebSocket(ctx, url)
}

// dialPort takes a new MessagePort to the in-page sandbox; its other end
// is already the worker's, so the session is open at once.
func dialPort(ctx context.Context) (_ console.Transport, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	off := js.Global().Get("smtplayOffline")
	if off.Type() != js.TypeObject || off.Get("tunnel").Type() != js.TypeFunction {
		return nil, errNoInPage
	}
	defer recoverJS(&err)
	return portTransport{msgport.New(off.Call("tunnel"), console.ReadLimit)}, nil
}

// portTransport is a console.Transport over a MessagePort.
type portTransport struct{ *msgport.Port }

// Close ends the session with a normal closure (1000), as the WebSocket does.
func (t portTransport) Close(reason string) error { return t.Port.Close(1000, reason) }
