//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"
	"testing"
	"time"

	"github.com/smtplay/smtplay/wasm/msgport"
)

// The page's transport to the in-page sandbox: dial takes a port from
// smtplayOffline.tunnel(); text and binary messages cross it as they are,
// and the other end's close ends Read after the messages before it.
func TestPortTransport(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := dial(ctx, inPageURL); !errors.Is(err, errNoInPage) {
		t.Fatalf("without the in-page sandbox: %v, want %v", err, errNoInPage)
	}
	ch := js.Global().Get("MessageChannel").New()
	tunnel := js.FuncOf(func(js.Value, []js.Value) any { return ch.Get("port1") })
	defer tunnel.Release()
	off := js.Global().Get("Object").New()
	off.Set("tunnel", tunnel)
	js.Global().Set("smtplayOffline", off)
	defer js.Global().Delete("smtplayOffline")

	tr, err := dial(ctx, inPageURL)
	if err != nil {
		t.Fatal(err)
	}
	worker := msgport.New(ch.Get("port2"), 1<<20)
	if err := tr.Write(ctx, true, []byte(`{"type":"open","target":"sandbox"}`)); err != nil {
		t.Fatal(err)
	}
	if err := tr.Write(ctx, false, []byte("EHLO x\r\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		text bool
		data string
	}{{true, `{"type":"open","target":"sandbox"}`}, {false, "EHLO x\r\n"}} {
		text, data, err := worker.Read(ctx)
		if err != nil || text != want.text || string(data) != want.data {
			t.Fatalf("the worker read %v %q %v, want %v %q", text, data, err, want.text, want.data)
		}
	}
	if err := worker.Write(ctx, false, []byte("220 hi\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := worker.Close(1000, ""); err != nil {
		t.Fatal(err)
	}
	if text, data, err := tr.Read(ctx); err != nil || text || string(data) != "220 hi\r\n" {
		t.Fatalf("the page read %v %q %v", text, data, err)
	}
	var closed *msgport.Closed
	if _, _, err := tr.Read(ctx); !errors.As(err, &closed) || closed.Code != 1000 {
		t.Fatalf("after the close: %v", err)
	}
	_ = tr.Close("done")
}
