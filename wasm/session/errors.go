package session

import "github.com/smtplay/smtplay/wasm/phrase"

// Errors returned by Submit. Each is a sentence for a person; use errors.Is to
// tell them apart. Nothing is sent or recorded when Submit returns one.
var (
	// ErrClosed: the connection is over.
	ErrClosed error = say("submit.closed").Err()
	// ErrReplyPending: the line must wait for a reply (to STARTTLS, AUTH, an
	// AUTH answer or DATA), or for the TLS handshake. The tunnel would refuse
	// it too (PROTOCOL.md reply_pending).
	ErrReplyPending error = say("submit.reply-pending").Err()
	// ErrBadLine: the line contains a CR, an LF or a NUL byte, which SMTP
	// lines cannot carry (RFC 5321 §2.3.8).
	ErrBadLine error = say("submit.bad-line").Err()
	// ErrTooLong: the line is longer than one tunnel frame (65,536 bytes).
	ErrTooLong error = say("submit.too-long").Err()
	// ErrNeedsConfirm: the line would send credentials in the clear to a
	// real server; call SubmitConfirmed if the person insists.
	ErrNeedsConfirm error = say("submit.needs-confirm").Err()
)

// errorBook holds the sentences of the errors.
var errorBook = phrase.Table{
	{"submit.closed", "the connection is closed: nothing more can be sent"},
	{"submit.reply-pending", "wait for the server's reply first: after STARTTLS, AUTH, an AUTH answer or DATA the next line depends on it"},
	{"submit.bad-line", "a line cannot contain CR, LF or NUL characters (RFC 5321 §2.3.8)"},
	{"submit.too-long", "the line is longer than the tunnel carries in one frame (65,536 bytes)"},
	{"submit.needs-confirm", "this would send your credentials unencrypted over the internet: send STARTTLS first, or confirm"},
	{"server.no-code", "a reply line starts with a three-digit code from 200 to 599 (RFC 5321 §4.2)"},
	{"server.no-separator", "after the three-digit code comes a space (last line) or a hyphen (more lines follow) (RFC 5321 §4.2.1)"},
}
