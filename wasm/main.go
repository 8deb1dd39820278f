//go:build js && wasm

// Command wasm is the page's Go half, compiled to WebAssembly: the only
// package that touches syscall/js. It puts one object, smtplay, on the
// page's global scope; its methods drive a console.Console (the session
// engine bound to the tunnel) and every event comes back to the page's
// smtplay.onevent as a plain object. The page learns that the object is
// ready from a "smtplay-ready" event on window.
package main

import "syscall/js"

func main() {
	register(js.Global())
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("smtplay-ready"))
	select {}
}
