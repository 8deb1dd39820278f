// Package console is the controller behind smtplay's page: it binds one
// session engine (wasm/session) to one tunnel websocket (docs/PROTOCOL.md)
// and reports everything to the view as events.
//
// The data path reads straight through:
//
//	Submit, Paste → queue → session.Check (hold on a predicted error) →
//	session.Submit → one binary frame
//	binary frame → session.Receive → Event → the view
//	opened, tls, delivered, error, closed → the engine and Event → the view
//
// Lines wait in a queue until the conversation allows them: after
// STARTTLS, AUTH, an AUTH answer or DATA the next line waits for the reply
// (the tunnel would refuse it); a command the engine says may not be
// pipelined waits for the replies before it; a line for which the engine
// predicts an error reply (503 for RCPT before MAIL) is held until the person
// sends it anyway, skips it or stops.
//
// The package reaches the tunnel through a Transport (transport.go), one
// message-oriented connection, opened by the Dialer given to New. Natively
// DialWebSocket gives one over coder/websocket, so the package is tested
// with plain go test against the real tunnel and sandbox; the page's
// (package main) uses the browser's own WebSocket, which keeps net/http
// and crypto/tls out of main.wasm. It never imports syscall/js.
//
// Events are emitted in order, one at a time, with no lock held: the
// receiver may call back into the Console.
//
// A session's transcript also leaves the page: Share gives a share link's
// lines (never a credential), Replay plays such a transcript back offline
// into the events a live session gives, and ExportCode writes the session
// as code (wasm/export).
package console
