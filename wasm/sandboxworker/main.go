//go:build js && wasm

// Command sandboxworker is the in-page sandbox: the practice server and the
// tunnel in front of it, compiled to WebAssembly and run in a Web Worker
// (static/sandboxworker.js), so that the page works with no smtplay server.
// It speaks the tunnel contract of docs/PROTOCOL.md over MessagePorts (the
// "In-page transport" section): the worker script hands each message the
// page posts to smtplaySandbox, which this program puts on the worker's
// global scope before it posts {ready: true} to the page.
package main

import (
	"context"
	"syscall/js"
)

func main() {
	p, err := newInPage()
	if err != nil {
		js.Global().Call("postMessage", map[string]any{"failed": err.Error()})
		return
	}
	js.Global().Set("smtplaySandbox", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			p.handle(context.Background(), args[0])
		}
		return nil
	}))
	js.Global().Call("postMessage", map[string]any{"ready": true})
	select {}
}
