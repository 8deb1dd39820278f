// Package wire holds the tunnel contract, docs/PROTOCOL.md (v1), as Go types:
// the JSON messages, their "type" values and the error codes.
//
// Text frames carry one JSON object each, told apart by their "type" field; binary
// frames carry SMTP bytes and have no type here. The package sits at the top of
// the module, beside the contract, and has no dependencies beyond the standard
// library and internal/pagejson (encoding/json natively; a smaller codec with
// the same results in the page), so both halves of smtplay — the proxy and
// the page compiled to WebAssembly — share it without reaching into each
// other's folders.
package wire

// Subprotocol is the websocket subprotocol of this contract's version.
const Subprotocol = "smtplay.v1"

// MaxMessage is the largest websocket message (text or binary, after reassembly)
// the contract requires a peer to accept.
const MaxMessage = 65536

// Message types, the value of every text frame's "type" field.
const (
	TypeOpen      = "open"
	TypeClose     = "close"
	TypeOpened    = "opened"
	TypeTLS       = "tls"
	TypeDelivered = "delivered"
	TypeError     = "error"
	TypeClosed    = "closed"
	TypeWire      = "wire"
)

// Who ended a session, the value of Closed.By.
const (
	ByServer = "server"
	ByClient = "client"
	ByProxy  = "proxy"
)
