package session

import "errors"

// Errors returned by Submit. Each is a sentence for a person; use errors.Is to
// tell them apart. Nothing is sent or recorded when Submit returns one.
var (
	// ErrClosed: the connection is over.
	ErrClosed = errors.New("the connection is closed: nothing more can be sent")
	// ErrReplyPending: the line must wait for a reply (to STARTTLS, AUTH, an
	// AUTH answer or DATA), or for the TLS handshake. The tunnel would refuse
	// it too (PROTOCOL.md reply_pending).
	ErrReplyPending = errors.New("wait for the server's reply first: after STARTTLS, AUTH, an AUTH answer or DATA the next line depends on it")
	// ErrBadLine: the line contains a CR, an LF or a NUL byte, which SMTP
	// lines cannot carry (RFC 5321 §2.3.8).
	ErrBadLine = errors.New("a line cannot contain CR, LF or NUL characters (RFC 5321 §2.3.8)")
	// ErrTooLong: the line is longer than one tunnel frame (65,536 bytes).
	ErrTooLong = errors.New("the line is longer than the tunnel carries in one frame (65,536 bytes)")
	// ErrNeedsConfirm: the line would send credentials in the clear to a
	// real server; call SubmitConfirmed if the person insists.
	ErrNeedsConfirm = errors.New("this would send your credentials unencrypted over the internet: send STARTTLS first, or confirm")
)
