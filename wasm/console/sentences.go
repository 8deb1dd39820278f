package console

import (
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wire"
)

// Codes for failures the contract has no code for, because the proxy could
// not send one.
const (
	// CodeLost: the websocket ended without the proxy's closed message.
	CodeLost wire.Code = "lost"
	// CodeUnreachable: the websocket to the playground could not be opened.
	CodeUnreachable wire.Code = "unreachable"
)

// sentenceBook says, for each error code, what happened and what to do, for
// a student: "tunnel.<code>", "problem.unknown" for a code not listed, and
// "refusal.<code>" where a code that refused one line of an open session
// means something else. The proxy's message adds the details. "ended.<by>"
// says who ended the session.
var sentenceBook = phrase.Table{
	{"tunnel." + string(wire.BadRequest), "The page sent the playground something it did not understand. Reload the page and connect again."},
	{"tunnel." + string(wire.NotAllowed), "The playground will not connect there: it only reaches the servers on its list."},
	{"tunnel." + string(wire.DialFailed), "The playground could not reach the mail server. Check the name and port, or try again later."},
	{"tunnel." + string(wire.TLSFailed), "The encrypted connection could not be set up, so nothing was sent: the server's certificate did not check out, or it speaks no TLS version the playground accepts."},
	{"tunnel." + string(wire.BadLineEnding), "That line was not sent: SMTP lines end in CRLF and may not contain a bare CR, a bare LF or a NUL byte."},
	{"tunnel." + string(wire.FrameTooLarge), "That was too much to send at once, so none of it was sent."},
	{"tunnel." + string(wire.ReplyPending), "That line was not sent: after STARTTLS, AUTH and DATA the server's reply must come first."},
	{"tunnel." + string(wire.NotSupported), "That line was not sent: the playground does not carry it (BDAT); use DATA."},
	{"tunnel." + string(wire.RateLimited), "The playground is not opening another session for your address just now. Try again later."},
	{"tunnel." + string(wire.SessionLimit), "This session reached one of the playground's limits and was closed. Connect again to start a new one."},
	{"tunnel." + string(wire.Timeout), "The session was closed because nothing happened for too long. Mail servers hang up on silent clients too; connect again."},
	{"tunnel." + string(wire.Internal), "Something went wrong inside the playground. Connect again; if it keeps happening, tell the operator."},
	{"tunnel." + string(CodeLost), "The connection to the playground was lost: the network dropped, or the playground restarted. Connect again."},
	{"tunnel." + string(CodeUnreachable), "The page could not reach the playground's tunnel. Check your connection and reload the page."},

	// A code's sentence for one reason of the proxy (wire.Details), where
	// what to do depends on it: "tunnel.<code>.<reason>".
	{"tunnel." + string(wire.RateLimited) + ".too-many-sessions", "You already have as many sessions open here as the playground allows, in this tab or others. Close one, then connect again."},
	{"tunnel." + string(wire.RateLimited) + ".too-many-new", "Too many new sessions from your address just now. Wait a minute, then connect again."},
	{"tunnel." + string(wire.RateLimited) + ".busy", "The playground is very busy right now. Try again in a few seconds."},

	{"problem.unknown", "The playground reported a problem ({code})."},

	{"refusal." + string(wire.NotAllowed), "That line was not sent: the playground never carries a password in the clear to a real server. Send STARTTLS, then EHLO, then AUTH."},
	{"refusal." + string(wire.BadRequest), "That line was not sent: the playground did not understand the message that carried it."},

	{"ended." + wire.ByServer, "The mail server closed the connection."},
	{"ended." + wire.ByServer + ".reason", "The mail server closed the connection: {reason}."},
	{"ended." + wire.ByClient, "You closed the session."},
	{"ended." + wire.ByClient + ".reason", "You closed the session: {reason}."},
	{"ended." + wire.ByProxy, "The playground closed the session."},
	{"ended." + wire.ByProxy + ".reason", "The playground closed the session: {reason}."},
	{"ended.unknown", "The session is over."},
	{"ended.unknown.reason", "The session is over: {reason}."},

	// The reason the engine records when the websocket ends without the
	// proxy's closed message.
	{"lost.reason", "the connection to the playground was lost"},
}

// RefusalSentence says what an error code means when it refused one line
// of an open session.
func RefusalSentence(code wire.Code) phrase.Text {
	if _, ok := book.Lookup("refusal." + string(code)); ok {
		return say("refusal." + string(code))
	}
	return Sentence(code)
}

// Sentence says what an error code means for the person at the page.
func Sentence(code wire.Code) phrase.Text {
	if _, ok := book.Lookup("tunnel." + string(code)); ok {
		return say("tunnel." + string(code))
	}
	return say("problem.unknown", "code", string(code))
}

// ReasonSentence says what an error code means for the person at the
// page when the proxy named its reason (a key of wire.Details): the
// sentence for that reason where the book has one, so the page never
// advises one thing while the proxy's details say another.
func ReasonSentence(code wire.Code, reason string) phrase.Text {
	if _, ok := book.Lookup("tunnel." + string(code) + "." + reason); ok && reason != "" {
		return say("tunnel." + string(code) + "." + reason)
	}
	return Sentence(code)
}

// refusesFrame holds the codes that, once the session is open, refuse one
// frame and let the session go on (docs/PROTOCOL.md, "Error codes"):
// not_allowed then refuses AUTH in the clear. session_limit is not one:
// whether it refused a frame or ended a session that ran too long, the
// session ends.
var refusesFrame = map[wire.Code]bool{
	wire.BadRequest: true, wire.NotAllowed: true, wire.BadLineEnding: true,
	wire.FrameTooLarge: true, wire.ReplyPending: true, wire.NotSupported: true,
}

// ClosedSentence says who ended the session, and the proxy's reason, for
// people: in phrases a language may translate where the proxy named its
// sentence (wire.Details).
func ClosedSentence(c wire.Closed) phrase.Text {
	by := c.By
	if by != wire.ByServer && by != wire.ByClient && by != wire.ByProxy {
		by = "unknown"
	}
	if c.Reason == "" {
		return say("ended." + by)
	}
	s, named := c.Said()
	if !named || !s.Known() {
		return say("ended."+by+".reason", "reason", c.Reason)
	}
	english := say("ended."+by+".reason", "reason", c.Reason).English
	return phrase.Worded(english, say("ended."+by), proxySaid(s, named, c.Reason))
}
