package sandbox

import "fmt"

// rewrite replaces a reply line go-smtp v0.25.1 writes. With prefix set, a
// line starting with from has that start replaced by to; otherwise the whole
// line must equal from.
//
// Why rewrite at all: go-smtp answers several sequence errors with
// "502 5.5.1" (command not implemented) where RFC 5321 section 4.2.4 and
// Postfix say "503 5.5.1" (bad sequence of commands), opens its EHLO reply
// with "Hello x" where RFC 5321 section 4.1.1.1 wants the server's domain,
// and a Session cannot change either. clientConn sees every reply line before
// the client does, so it rewrites exactly these lines.
// TestRewritesMatchGoSMTP fails if an upgrade of go-smtp changes one of them.
type rewrite struct {
	from, to string
	prefix   bool
}

// rewriter applies a table of rewrites.
type rewriter struct {
	exact  map[string]string
	prefix []rewrite
}

// rewriteTable is the table for cfg. Keep it short: every entry is a place
// where the sandbox knowingly departs from go-smtp.
func rewriteTable(cfg Config) []rewrite {
	host := cfg.Hostname
	return []rewrite{
		// Sequence errors: 503, not 502.
		{from: "502 5.5.1 Please introduce yourself first.",
			to: "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first"},
		{from: "502 5.5.1 Missing MAIL FROM command.",
			to: "503 5.5.1 Bad sequence of commands: MAIL FROM must come before RCPT TO"},
		{from: "502 5.5.1 Missing RCPT TO command.",
			to: "503 5.5.1 Bad sequence of commands: first MAIL FROM, then at least one accepted RCPT TO"},
		{from: "502 5.5.1 MAIL not allowed during message transfer",
			to: "503 5.5.1 Bad sequence of commands: finish the BDAT message first (BDAT ... LAST)"},
		{from: "502 5.5.1 RCPT not allowed during message transfer",
			to: "503 5.5.1 Bad sequence of commands: finish the BDAT message first (BDAT ... LAST)"},
		{from: "502 5.5.1 DATA not allowed during message transfer",
			to: "503 5.5.1 Bad sequence of commands: DATA cannot follow BDAT in one message"},
		// A missing argument is a syntax error (501), not "not implemented".
		{from: "502 5.5.4 Missing parameter",
			to: "501 5.5.4 Syntax: AUTH mechanism [initial-response], for example AUTH PLAIN"},
		{from: "501 5.5.2 Domain/address argument required for HELO",
			to: "501 5.5.2 Syntax: EHLO your.domain (or HELO your.domain): say who you are"},
		// The first line of the EHLO and HELO replies names the server.
		{prefix: true, from: "250-Hello ", to: "250-" + host + " Hello "},
		{prefix: true, from: "250 2.0.0 Hello ", to: "250 " + host + " Hello "},
		// Enhanced codes of RFC 3463 for sender and recipient.
		{prefix: true, from: "250 2.0.0 Roger, accepting mail from ", to: "250 2.1.0 Sender OK, accepting mail from "},
		{prefix: true, from: "250 2.0.0 I'll make sure ", to: "250 2.1.5 Recipient OK, I'll make sure "},
		// Words for people.
		{from: "252 2.5.0 Cannot VRFY user, but will accept message",
			to: "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery (servers seldom confirm addresses)"},
		{from: "552 5.3.4 Max message size exceeded",
			to: fmt.Sprintf("552 5.3.4 Message too big: this server accepts at most %d octets (SIZE in the EHLO reply)", cfg.MaxMessageBytes)},
		{from: fmt.Sprintf("452 4.5.3 Maximum limit of %d recipients reached", cfg.MaxRecipients),
			to: fmt.Sprintf("452 4.5.3 Too many recipients: at most %d per message; send the rest in another message", cfg.MaxRecipients)},
		// AUTH (RFC 4954): an undecodable response is a syntax error (501,
		// section 4), not go-smtp's temporary 454; success is 2.7.0
		// (section 6); "*" cancels with 501, with Postfix's 5.7.0.
		{from: "454 4.7.0 Invalid base64 data",
			to: "501 5.5.2 Cannot decode the response: it is not valid base64 (RFC 4954 section 4)"},
		{from: "235 2.0.0 Authentication succeeded",
			to: "235 2.7.0 Authentication successful"},
		{from: "501 5.0.0 Negotiation cancelled",
			to: "501 5.7.0 Authentication aborted: the client answered * (RFC 4954 section 4)"},
		// A MAIL or RCPT parameter the server does not know or offer is 555
		// (RFC 5321 section 4.1.1.11), a malformed one 501.
		{from: "500 5.5.4 Unknown MAIL FROM argument",
			to: "555 5.5.4 MAIL FROM parameter not recognized: this server knows SIZE, BODY, SMTPUTF8, RET, ENVID and AUTH (RFC 5321 section 4.1.1.11)"},
		{from: "500 5.5.4 Unknown RCPT TO argument",
			to: "555 5.5.4 RCPT TO parameter not recognized: this server knows NOTIFY and ORCPT (RFC 5321 section 4.1.1.11)"},
		{from: "504 5.5.4 REQUIRETLS is not implemented",
			to: "555 5.5.4 REQUIRETLS not implemented: it is not in the EHLO reply (RFC 5321 section 4.1.1.11)"},
		{from: "504 5.5.4 BINARYMIME is not implemented",
			to: "555 5.5.4 BODY=BINARYMIME not implemented: BINARYMIME is not in the EHLO reply (RFC 5321 section 4.1.1.11)"},
		{from: "504 5.5.4 RRVS is not implemented",
			to: "555 5.5.4 RRVS not implemented: it is not in the EHLO reply (RFC 5321 section 4.1.1.11)"},
		{from: "504 5.5.4 DELIVERBY is not implemented",
			to: "555 5.5.4 BY not implemented: DELIVERBY is not in the EHLO reply (RFC 5321 section 4.1.1.11)"},
		{from: "504 5.5.4 MT-PRIORITY is not implemented",
			to: "555 5.5.4 MT-PRIORITY not implemented: it is not in the EHLO reply (RFC 5321 section 4.1.1.11)"},
		{from: "500 5.5.4 Malformed AUTH parameter value",
			to: "501 5.5.4 Malformed AUTH= parameter: it takes an xtext address or <> (RFC 4954 section 5)"},
		{from: "500 5.5.4 Malformed AUTH parameter mailbox",
			to: "501 5.5.4 Malformed AUTH= parameter: it takes an xtext address or <> (RFC 4954 section 5)"},
		// "VERB " with nothing after the space, and the end of go-smtp's
		// patience: a server closing the channel says 421 (RFC 5321 section
		// 3.8), with Postfix's 4.7.0.
		{from: "501 5.5.2 Bad command",
			to: "501 5.5.2 Syntax error: nothing follows the space after the command"},
		{from: "500 5.5.1 Too many errors. Quiting now",
			to: "421 4.7.0 " + host + " Too many errors: closing the connection"},
		{from: "421 4.4.2 Idle timeout, bye bye",
			to: "421 4.4.2 " + host + " Idle timeout: nothing received for 5 minutes; closing the connection"},
	}
}

func newRewriter(cfg Config) rewriter {
	rw := rewriter{exact: make(map[string]string)}
	for _, r := range rewriteTable(cfg) {
		if r.prefix {
			rw.prefix = append(rw.prefix, r)
		} else {
			rw.exact[r.from] = r.to
		}
	}
	return rw
}

// appendLine appends line, as the sandbox sends it, and its CRLF to out.
func (rw rewriter) appendLine(out, line []byte) []byte {
	if to, ok := rw.exact[string(line)]; ok {
		return appendLine(out, to)
	}
	for _, r := range rw.prefix {
		if len(line) >= len(r.from) && string(line[:len(r.from)]) == r.from {
			out = append(out, r.to...)
			line = line[len(r.from):]
			break
		}
	}
	return append(append(out, line...), "\r\n"...)
}
