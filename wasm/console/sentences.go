package console

import "github.com/smtplay/smtplay/proxy/wire"

// Codes for failures the contract has no code for, because the proxy could
// not send one.
const (
	// CodeLost: the websocket ended without the proxy's closed message.
	CodeLost = "lost"
	// CodeUnreachable: the websocket to the playground could not be opened.
	CodeUnreachable = "unreachable"
)

// sentences say, for each error code, what happened and what to do, for a
// student. The proxy's message adds the details.
var sentences = map[string]string{
	string(wire.BadRequest):    "The page sent the playground something it did not understand. Reload the page and connect again.",
	string(wire.NotAllowed):    "The playground will not connect there: it only reaches the servers on its list.",
	string(wire.DialFailed):    "The playground could not reach the mail server. Check the name and port, or try again later.",
	string(wire.TLSFailed):     "The encrypted connection could not be set up, so nothing was sent: the server's certificate did not check out, or it speaks no TLS version the playground accepts.",
	string(wire.BadLineEnding): "That line was not sent: SMTP lines end in CRLF and may not contain a bare CR, a bare LF or a NUL byte.",
	string(wire.FrameTooLarge): "That was too much to send at once, so none of it was sent.",
	string(wire.ReplyPending):  "That line was not sent: after STARTTLS, AUTH and DATA the server's reply must come first.",
	string(wire.NotSupported):  "That line was not sent: the playground does not carry it (BDAT); use DATA.",
	string(wire.RateLimited):   "Too many sessions from your address just now. Wait a minute, then connect again.",
	string(wire.SessionLimit):  "This session reached one of the playground's limits and was closed. Connect again to start a new one.",
	string(wire.Timeout):       "The session was closed because nothing happened for too long. Mail servers hang up on silent clients too; connect again.",
	string(wire.Internal):      "Something went wrong inside the playground. Connect again; if it keeps happening, tell the operator.",
	CodeLost:                   "The connection to the playground was lost: the network dropped, or the playground restarted. Connect again.",
	CodeUnreachable:            "The page could not reach the playground's tunnel. Check your connection and reload the page.",
}

// refusals say what a code means when it refused one line of an open
// session, where that differs from the code's sentence.
var refusals = map[string]string{
	string(wire.NotAllowed): "That line was not sent: the playground never carries a password in the clear to a real server. Send STARTTLS, then EHLO, then AUTH.",
	string(wire.BadRequest): "That line was not sent: the playground did not understand the message that carried it.",
}

// RefusalSentence says what an error code means when it refused one line
// of an open session.
func RefusalSentence(code string) string {
	if s, ok := refusals[code]; ok {
		return s
	}
	return Sentence(code)
}

// Sentence says what an error code means for the person at the page.
func Sentence(code string) string {
	if s, ok := sentences[code]; ok {
		return s
	}
	return "The playground reported a problem (" + code + ")."
}

// refusesFrame reports whether code, once the session is open, refuses one
// frame and lets the session go on (PROTOCOL.md "Error codes"): not_allowed
// then refuses AUTH in the clear. session_limit is not one: whether it
// refused a frame or ended a session that ran too long, the session ends.
func refusesFrame(code wire.Code) bool {
	switch code {
	case wire.BadRequest, wire.NotAllowed, wire.BadLineEnding, wire.FrameTooLarge,
		wire.ReplyPending, wire.NotSupported:
		return true
	}
	return false
}

// ClosedSentence says who ended the session, for people.
func ClosedSentence(c wire.Closed) string {
	s := "The session is over"
	switch c.By {
	case wire.ByServer:
		s = "The mail server closed the connection"
	case wire.ByClient:
		s = "You closed the session"
	case wire.ByProxy:
		s = "The playground closed the session"
	}
	if c.Reason != "" {
		return s + ": " + c.Reason + "."
	}
	return s + "."
}
