// Package session is the client side of one SMTP conversation, as smtplay's
// page holds it: what the person typed, what the server answered, what state
// the conversation is in, what each line means, and what is likely to go
// wrong before it is sent.
//
// The data path reads straight through:
//
//	what the person types → Session.Submit → bytes for the tunnel
//	each server line      → Session.Receive → events for the view
//
// Check explains a line without committing it; Submit commits it. Receive
// groups multi-line replies, matches each complete reply to the command it
// answers (first in, first out, so PIPELINING works), advances the state and
// explains. TLSStarted, Closed and Refused report what the proxy says.
// Transcript and Export keep the conversation, with AUTH secrets masked.
//
// All types are plain structs that marshal to JSON for the page. The package
// is pure Go: no syscall/js, tested with plain go test. A Session is safe for
// concurrent use.
package session
