package explain

import "strconv"

// replies lists the meaning of each three-digit reply code (its Key). RFC 5321 §4.2.3 lists
// the base codes; SMTP AUTH (RFC 4954), STARTTLS (RFC 3207) and RFC 7504 add
// the rest.
var replies = []Entry{
	{Key: "211", Title: "System status, or system help reply",
		Text: "Status information about the server, for a person to read. Rare in practice.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "214", Title: "Help message",
		Text: "Help text for a person, usually the answer to HELP: how to use the server or what a non-standard command means.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "220", Title: "Service ready",
		Text: "The greeting: the server is ready and names itself; greet it with EHLO. 220 also answers STARTTLS: start the TLS handshake now.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "221", Title: "Service closing transmission channel",
		Text: "Goodbye: the answer to QUIT. The server closes the connection.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "235", Title: "Authentication succeeded",
		Text: "You are logged in; the server now trusts you to send (submit) mail.",
		RFC:  "RFC 4954 §6"},
	{Key: "250", Title: "Requested mail action okay, completed",
		Text: "Success. To EHLO it carries the list of extensions; to MAIL and RCPT it accepts the address; after the final dot it means the server has taken responsibility for the message.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "251", Title: "User not local; will forward",
		Text: "The recipient is accepted, but the mailbox is elsewhere; the server will forward the message to the path it names.",
		RFC:  "RFC 5321 §3.4"},
	{Key: "252", Title: "Cannot VRFY user, but will accept message and attempt delivery",
		Text: "The usual answer to VRFY: the server will not say whether the mailbox exists, but will try to deliver to it.",
		RFC:  "RFC 5321 §3.5.3"},
	{Key: "253", Title: "Pending messages for the node started (ETRN)",
		Text: "The answer to ETRN when mail was waiting: the server has started sending the queued messages for that domain; the text often says how many.",
		RFC:  "RFC 1985 §5"},
	{Key: "334", Title: "Server challenge (AUTH continuation)",
		Text: "The login is in progress: the text after 334 is base64 (decode it to read the prompt, e.g. VXNlcm5hbWU6 is \"Username:\"). Answer with one base64 line, or * to cancel.",
		RFC:  "RFC 4954 §4"},
	{Key: "354", Title: "Start mail input; end with <CRLF>.<CRLF>",
		Text: "The server is ready for the message: header lines, an empty line, the body, then a line with a single dot.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "421", Title: "Service not available, closing transmission channel",
		Text: "The server is shutting this connection down (overload, timeout, policy). It can come as the answer to any command. Try again later.",
		RFC:  "RFC 5321 §3.8"},
	{Key: "432", Title: "A password transition is needed",
		Text: "The server wants you to log in once with a plaintext mechanism (over TLS) so it can convert your password for the mechanism you asked for.",
		RFC:  "RFC 4954 §6"},
	{Key: "450", Title: "Requested mail action not taken: mailbox unavailable",
		Text: "Temporarily: the mailbox is busy or temporarily blocked (for example greylisting). Try again later.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "451", Title: "Requested action aborted: local error in processing",
		Text: "The server had a temporary problem of its own. Try again later.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "452", Title: "Requested action not taken: insufficient system storage",
		Text: "Temporarily out of space, or (to RCPT) too many recipients in this transaction: send the rest in another one.",
		RFC:  "RFC 5321 §4.5.3.1.10"},
	{Key: "454", Title: "Temporary authentication failure / TLS not available",
		Text: "To AUTH: the login could not be checked right now (for example the password database is down). To STARTTLS: TLS is temporarily unavailable. Try again later.",
		RFC:  "RFC 4954 §6; RFC 3207 §4"},
	{Key: "455", Title: "Server unable to accommodate parameters",
		Text: "The server cannot handle the MAIL or RCPT parameters right now, but might later.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "458", Title: "Unable to queue messages for the node (ETRN)",
		Text: "ETRN could not start the queue for that domain right now. Try again later.",
		RFC:  "RFC 1985 §5"},
	{Key: "459", Title: "Node not allowed (ETRN)",
		Text: "The server will not run its queue for that domain (not one it holds mail for, or not for you).",
		RFC:  "RFC 1985 §5"},
	{Key: "500", Title: "Syntax error, command unrecognized",
		Text: "The server does not know this command, or the line was too long.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "501", Title: "Syntax error in parameters or arguments",
		Text: "The command is known but its argument is wrong or missing, e.g. EHLO without a domain or an address without angle brackets.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "502", Title: "Command not implemented",
		Text: "The server recognises the command but does not support it.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "503", Title: "Bad sequence of commands",
		Text: "The command is valid but comes at the wrong moment, e.g. RCPT before MAIL, or DATA before any recipient was accepted.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "504", Title: "Command parameter not implemented",
		Text: "The command is supported but not with this parameter, e.g. AUTH with a mechanism the server does not offer. (It does not mean 'argument missing': that is 501.)",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "521", Title: "Host does not accept mail",
		Text: "This server never accepts mail (a null MX host). Do not retry.",
		RFC:  "RFC 7504"},
	{Key: "530", Title: "Authentication required",
		Text: "Log in first (AUTH), or, with 5.7.0 'Must issue a STARTTLS command first', encrypt the connection first.",
		RFC:  "RFC 4954 §6"},
	{Key: "534", Title: "Authentication mechanism is too weak",
		Text: "The server does not allow this mechanism for you; use a stronger one from its AUTH list.",
		RFC:  "RFC 4954 §6"},
	{Key: "535", Title: "Authentication credentials invalid",
		Text: "The login failed: wrong user name or password (or the base64 did not encode what you meant).",
		RFC:  "RFC 4954 §6"},
	{Key: "538", Title: "Encryption required for requested authentication mechanism",
		Text: "This mechanism is only allowed over an encrypted connection: send STARTTLS and EHLO again first.",
		RFC:  "RFC 4954 §6"},
	{Key: "550", Title: "Requested action not taken: mailbox unavailable",
		Text: "Permanently: the mailbox does not exist, access is denied, or policy refuses it (spam, relaying). Do not retry unchanged.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "551", Title: "User not local; please try <forward-path>",
		Text: "The server will not forward to this recipient, but names where the mailbox is now.",
		RFC:  "RFC 5321 §3.4"},
	{Key: "552", Title: "Requested mail action aborted: exceeded storage allocation",
		Text: "The message is too big for the mailbox or the server (see the SIZE extension).",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "553", Title: "Requested action not taken: mailbox name not allowed",
		Text: "The address is malformed or not allowed (for example a sender address you may not use).",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "554", Title: "Transaction failed",
		Text: "Permanent failure of the transaction, e.g. the message was rejected after the final dot, or 'no valid recipients'. As a greeting it means 'no SMTP service here'.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "555", Title: "MAIL FROM/RCPT TO parameters not recognized or not implemented",
		Text: "An ESMTP parameter (SIZE=, BODY=, ...) is unknown to the server or not allowed.",
		RFC:  "RFC 5321 §4.2.3"},
	{Key: "556", Title: "Domain does not accept mail",
		Text: "The recipient's domain publishes that it accepts no mail (null MX). Do not retry.",
		RFC:  "RFC 7504"},
}

// Reply explains a three-digit reply code. Codes that are not in the table
// give ok false; ReplyClass and ReplyCategory still explain their digits.
func Reply(code int) (Entry, bool) {
	e, ok := find(replies, strconv.Itoa(code))
	e.Key = strconv.Itoa(code)
	if ok {
		e.words = "reply." + e.Key
	}
	return e, ok
}

var replyClasses = [...]Entry{
	1: {Title: "Positive preliminary reply",
		Text: "1yz: defined by the protocol, but no SMTP command uses it.",
		RFC:  "RFC 5321 §4.2.1"},
	2: {Title: "Positive completion",
		Text: "2yz: success; the command was carried out. Send the next one.",
		RFC:  "RFC 5321 §4.2.1"},
	3: {Title: "Positive intermediate",
		Text: "3yz: accepted so far; the server waits for more from you (the message after 354, an AUTH answer after 334).",
		RFC:  "RFC 5321 §4.2.1"},
	4: {Title: "Transient negative completion",
		Text: "4yz: not done, but the problem is temporary: the same command may work later. (Not 'invalid command': that is 5yz.)",
		RFC:  "RFC 5321 §4.2.1"},
	5: {Title: "Permanent negative completion",
		Text: "5yz: not done, and repeating the same command will fail again. Change something first.",
		RFC:  "RFC 5321 §4.2.1"},
}

var replyCategories = [...]Entry{
	0: {Title: "Syntax", Text: "x0z: syntax: the command or its arguments, or a command not implemented.", RFC: "RFC 5321 §4.2.1"},
	1: {Title: "Information", Text: "x1z: information: replies to requests for status or help.", RFC: "RFC 5321 §4.2.1"},
	2: {Title: "Connections", Text: "x2z: connections: the transmission channel (greeting, closing).", RFC: "RFC 5321 §4.2.1"},
	3: {Title: "Unspecified", Text: "x3z: not assigned by RFC 5321; SMTP AUTH uses it for authentication (235, 334, 535).", RFC: "RFC 5321 §4.2.1"},
	4: {Title: "Unspecified", Text: "x4z: not assigned by RFC 5321.", RFC: "RFC 5321 §4.2.1"},
	5: {Title: "Mail system", Text: "x5z: mail system: the state of the receiver's mail system (mailboxes, storage, the transaction).", RFC: "RFC 5321 §4.2.1"},
}

// ReplyClass explains the first digit of a reply code (1 to 5). The third
// digit has no fixed meaning: it only tells codes of the same class and
// category apart (RFC 5321 §4.2.1).
func ReplyClass(digit int) (Entry, bool) {
	if digit < 1 || digit >= len(replyClasses) {
		return Entry{Key: strconv.Itoa(digit) + "yz"}, false
	}
	e := replyClasses[digit]
	e.Key = strconv.Itoa(digit) + "yz"
	return e, true
}

// ReplyCategory explains the second digit of a reply code (0 to 5).
func ReplyCategory(digit int) (Entry, bool) {
	if digit < 0 || digit >= len(replyCategories) {
		return Entry{Key: "x" + strconv.Itoa(digit) + "z"}, false
	}
	e := replyCategories[digit]
	e.Key = "x" + strconv.Itoa(digit) + "z"
	return e, true
}
