//go:build js && wasm

package main

import (
	"context"
	"syscall/js"
)

// handle serves one message of the page, never waiting:
//
//	{tunnel: port}        one tunnel session on port, until it ends
//	{fetch: path, port}   one GET of the JSON API; the answer is posted on
//	                      port as {status, type, body: ArrayBuffer}
//
// Anything else is ignored.
func (p *inPage) handle(ctx context.Context, d js.Value) {
	if d.Type() != js.TypeObject {
		return
	}
	if port := d.Get("tunnel"); port.Type() == js.TypeObject {
		peer := newPortPeer(port)
		go p.serve(ctx, peer)
		return
	}
	if path, port := d.Get("fetch"), d.Get("port"); path.Type() == js.TypeString && port.Type() == js.TypeObject {
		go func() {
			status, ctype, body := p.fetch(path.String())
			buf := js.Global().Get("Uint8Array").New(len(body))
			js.CopyBytesToJS(buf, body)
			ab := buf.Get("buffer")
			port.Call("postMessage", map[string]any{"status": status, "type": ctype, "body": ab}, []any{ab})
			port.Call("close")
		}()
	}
}
