package explain

import "strings"

// commands lists what each SMTP verb (its Key) does. Verbs are upper case; the
// protocol itself is case-insensitive (RFC 5321 §2.4).
var commands = []Entry{
	{Key: "HELO", Title: "Hello (basic SMTP)",
		Text: "HELO <your-domain> opens the session with plain SMTP: no extensions. Use it only if the server refuses EHLO.",
		RFC:  "RFC 5321 §4.1.1.1"},
	{Key: "EHLO", Title: "Extended hello",
		Text: "EHLO <your-domain> opens the session and asks the server to list its extensions (SIZE, AUTH, STARTTLS, ...), one per line of a multi-line 250 reply. The argument is your host's domain name or an address literal like [192.0.2.1].",
		RFC:  "RFC 5321 §4.1.1.1"},
	{Key: "MAIL", Title: "Start a mail transaction",
		Text: "MAIL FROM:<address> starts a new message and gives the envelope sender: where bounces go. It is not the From: header the reader sees. MAIL FROM:<> (empty) is the null sender used by bounces.",
		RFC:  "RFC 5321 §4.1.1.2"},
	{Key: "RCPT", Title: "Add a recipient",
		Text: "RCPT TO:<address> adds one envelope recipient: who the message is delivered to. Send one RCPT per recipient; each gets its own reply, so some may be accepted and others refused.",
		RFC:  "RFC 5321 §4.1.1.3"},
	{Key: "DATA", Title: "Send the message",
		Text: "DATA asks to send the message itself. After the server's 354, type header lines, an empty line, the body, and finally a line with a single dot. Lines that begin with a dot get a second dot (dot-stuffing).",
		RFC:  "RFC 5321 §4.1.1.4"},
	{Key: "RSET", Title: "Reset",
		Text: "RSET aborts the current mail transaction: sender, recipients and data are forgotten. The session and login stay.",
		RFC:  "RFC 5321 §4.1.1.5"},
	{Key: "VRFY", Title: "Verify an address",
		Text: "VRFY <name> asks whether a mailbox exists. Most servers answer 252 (cannot verify, but will try to deliver) so that spammers cannot harvest addresses.",
		RFC:  "RFC 5321 §4.1.1.6"},
	{Key: "EXPN", Title: "Expand a mailing list",
		Text: "EXPN <list> asks for the members of a mailing list. Almost every server refuses it for privacy.",
		RFC:  "RFC 5321 §4.1.1.7"},
	{Key: "HELP", Title: "Help",
		Text: "HELP [topic] asks the server for help text for a human; the answer is a 214 reply.",
		RFC:  "RFC 5321 §4.1.1.8"},
	{Key: "NOOP", Title: "No operation",
		Text: "NOOP does nothing but get a 250 reply: a way to check that the connection is alive.",
		RFC:  "RFC 5321 §4.1.1.9"},
	{Key: "QUIT", Title: "Quit",
		Text: "QUIT ends the session: the server answers 221 and closes the connection.",
		RFC:  "RFC 5321 §4.1.1.10"},
	{Key: "AUTH", Title: "Authenticate (SMTP AUTH)",
		Text: "AUTH <mechanism> [initial-response] logs you in with a SASL mechanism the server listed in its AUTH capability. The server may send 334 challenges; each is answered with one base64 line. Base64 is an encoding, not encryption.",
		RFC:  "RFC 4954 §4"},
	{Key: "STARTTLS", Title: "Start TLS",
		Text: "STARTTLS asks to encrypt the connection. After the 220 reply both sides start a TLS handshake; then everything learned before is forgotten and you must send EHLO again.",
		RFC:  "RFC 3207 §4"},
	{Key: "BDAT", Title: "Binary data chunk (CHUNKING)",
		Text: "BDAT <size> [LAST] sends exactly <size> octets of the message, with no dot-stuffing and no end marker; LAST marks the final chunk. Only when the server offers CHUNKING. The playground's tunnel does not carry BDAT: use DATA.",
		RFC:  "RFC 3030 §2"},
	{Key: "ETRN", Title: "Extended TURN",
		Text: "ETRN <domain> asks the server to start delivering the mail it has queued for that domain, on a new connection.",
		RFC:  "RFC 1985 §3"},
	{Key: "ATRN", Title: "Authenticated TURN",
		Text: "An authenticated client asks the server to switch roles, so that the server delivers the mail queued for the client (On-Demand Mail Relay). Rare.",
		RFC:  "RFC 2645 §4"},
	{Key: "BURL", Title: "Message by reference",
		Text: "BURL <url> [LAST] sends message data fetched by the server from an IMAP URL instead of typed by the client. Used by submission servers with IMAP.",
		RFC:  "RFC 4468 §3"},
	{Key: "TURN", Title: "Swap roles (obsolete)",
		Text: "TURN asked the server to swap roles with the client. RFC 5321 removed it because anyone could receive someone else's mail.",
		RFC:  "RFC 5321 Appendix F.1"},
	{Key: "SEND", Title: "Send to terminal (obsolete)",
		Text: "SEND FROM: delivered a message to a user's terminal instead of the mailbox. RFC 5321 removed it; servers answer 502.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "SOML", Title: "Send or mail (obsolete)",
		Text: "SOML FROM: was “send to terminal or else mail”. RFC 5321 removed it; servers answer 502.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "SAML", Title: "Send and mail (obsolete)",
		Text: "SAML FROM: was “send to terminal and mail”. RFC 5321 removed it; servers answer 502.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "LHLO", Title: "LMTP hello",
		Text: "LHLO is EHLO for LMTP, the local delivery protocol between a mail server and a mailbox store. An SMTP server answers 500 or 502.",
		RFC:  "RFC 2033 §4.1"},
	{Key: "XCLIENT", Title: "Postfix XCLIENT (vendor extension)",
		Text: "XCLIENT lets a trusted proxy tell Postfix the real client's address. The X prefix marks a private, non-standard command.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XFORWARD", Title: "Postfix XFORWARD (vendor extension)",
		Text: "XFORWARD lets a trusted content filter pass the original client's details to Postfix. The X prefix marks a private, non-standard command.",
		RFC:  "RFC 5321 §4.1.5"},
}

// Command explains an SMTP command verb, in any case ("mail" finds MAIL).
// Verbs beginning with X that are not in the table are explained as private
// (vendor) commands with ok true; other unknown verbs give ok false.
func Command(verb string) (Entry, bool) {
	v := strings.ToUpper(verb)
	if e, ok := find(commands, v); ok {
		e.words = "command." + v
		return e, true
	}
	if len(v) > 1 && v[0] == 'X' {
		return Entry{Key: v, Title: "Private command (vendor extension)",
			Text:  "Commands that begin with X are private extensions of one server or vendor, not standard SMTP. Only servers that advertise them understand them.",
			RFC:   "RFC 5321 §4.1.5",
			words: "command.vendor"}, true
	}
	return Entry{Key: v}, false
}
