//go:build js && wasm

package main

import "syscall/js"

// setWire(on) says whether the next connect asks for the wire view.
func (a *api) setWire(args []js.Value) any {
	on := arg(args, 0).Truthy()
	a.w.do(func() { a.con.SetWire(on) })
	return nil
}

// capture() returns the session's server leg as a pcapng file (a
// Uint8Array), or null when the proxy sent none.
func (a *api) capture([]js.Value) any {
	f, ok := a.con.Capture()
	if !ok {
		return js.Null()
	}
	out := js.Global().Get("Uint8Array").New(len(f))
	js.CopyBytesToJS(out, f)
	return out
}

// keyLog() returns the session's TLS key log (sandbox only), or "".
func (a *api) keyLog([]js.Value) any { return a.con.KeyLog() }
