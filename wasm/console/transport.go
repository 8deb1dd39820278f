package console

import (
	"context"

	"github.com/smtplay/smtplay/wire"
)

// Transport is one message-oriented connection to the tunnel
// (docs/PROTOCOL.md): JSON messages go as text, SMTP bytes as binary. A
// WebSocket satisfies it, natively (DialWebSocket) or in the page (package
// main, over the browser's own WebSocket); so could a MessagePort to a Web
// Worker that holds the socket. It carries no HTTP types.
//
// Read is called from one goroutine at a time; Write and Close may be
// called from another one while a Read waits.
type Transport interface {
	// Read returns the next whole message and whether it is text. Messages
	// that arrived before the connection ended are read first; then Read
	// returns an error, as it does once ctx is done.
	Read(ctx context.Context) (text bool, data []byte, err error)
	// Write sends one whole message, text or binary.
	Write(ctx context.Context, text bool, data []byte) error
	// Close ends the connection with a normal closure (1000) and reason, a
	// few ASCII words; a Read waiting returns an error. It may be called
	// more than once.
	Close(reason string) error
}

// Dialer opens a Transport to the tunnel at url (ws:// or wss://…/tunnel),
// asking for the subprotocol wire.Subprotocol. A message longer than
// ReadLimit ends the connection. It returns when the connection is open,
// fails, or ctx is done.
type Dialer func(ctx context.Context, url string) (Transport, error)

// ReadLimit bounds one message from the proxy: server lines come in pieces
// of at most 8 KiB, and the JSON messages are small.
const ReadLimit = 2 * wire.MaxMessage

// The reasons the Console gives when it closes a Transport.
const (
	reasonDone       = "done"       // the session ended, or the reading stopped
	reasonSuperseded = "superseded" // another Connect came first
	reasonNoAnswer   = "no answer"  // the proxy did not answer close in time
)
