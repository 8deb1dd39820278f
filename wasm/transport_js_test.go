//go:build js && wasm

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/wire"
)

// The page's transport against the real proxy: the open message goes as
// text, opened comes back as text and the greeting as binary; after Close
// Read ends with an error.
func TestTransportWithTheProxy(t *testing.T) {
	base := startProxy(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	tr, err := dialWebSocket(ctx, "ws"+strings.TrimPrefix(base, "http")+"tunnel")
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Write(ctx, true, []byte(`{"type":"open","target":"sandbox"}`)); err != nil {
		t.Fatal(err)
	}
	text, data, err := tr.Read(ctx)
	if err != nil || !text {
		t.Fatalf("first message: text %v, %q, %v", text, data, err)
	}
	if msg, err := wire.DecodeServer(data); err != nil || msg.MessageType() != wire.TypeOpened {
		t.Fatalf("first message %q: %v", data, err)
	}
	text, data, err = tr.Read(ctx)
	if err != nil || text || !strings.HasPrefix(string(data), "220") {
		t.Fatalf("greeting: text %v, %q, %v", text, data, err)
	}
	if err := tr.Close("done"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tr.Read(ctx); err == nil {
		t.Fatal("Read after Close gave no error")
	}
	if err := tr.Close("again"); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// A tunnel that cannot be reached, or a URL the browser refuses, is an
// error from the dialer, not a panic.
func TestTransportDialFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, url := range []string{"ws://127.0.0.1:1/tunnel", "not a url"} {
		if tr, err := dialWebSocket(ctx, url); err == nil || tr != nil {
			t.Errorf("%s: %v, %v", url, tr, err)
		}
	}
	done, stop := context.WithCancel(ctx)
	stop()
	if _, err := dialWebSocket(done, "ws://127.0.0.1:1/tunnel"); err == nil {
		t.Error("a done context: no error")
	}
}
