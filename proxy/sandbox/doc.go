// Package sandbox is smtplay's built-in practice SMTP server.
//
// It runs in the proxy's own process: the proxy reaches it through an
// in-memory pipe ([Sandbox.Connect]), so a public playground needs no TCP
// port and never a loopback exception in its dial guard. Real clients (swaks,
// Thunderbird, a PHP script) may also deliver to it over an optional TCP
// listener ([Sandbox.ServeTCP]). Nothing ever leaves the sandbox: every
// accepted message goes into a private, in-memory mailbox named by a token,
// which the page reads through [Sandbox.Handler].
//
// # Profiles
//
//   - sandbox: lenient, like many servers a decade ago. AUTH PLAIN and
//     LOGIN are offered before STARTTLS, and mail is accepted with or without
//     AUTH.
//   - sandbox-strict: a modern submission server. AUTH is hidden until
//     STARTTLS; AUTH or MAIL before STARTTLS gets
//     "530 5.7.0 Must issue a STARTTLS command first", and MAIL before AUTH
//     gets "530 5.7.0 Authentication required". An EHLO or HELO name that
//     is neither a domain nor an address literal (EHLO 91.198.212.5, not
//     [91.198.212.5]) gets "501 5.5.2", a MAIL or RCPT address without
//     angle brackets "501 5.1.7" or "501 5.1.3", as Postfix answers.
//
// What each profile refuses, with its reply, is data (rules.go); the
// tunnel's opened message carries it to the page ([WireProfile]). The practice login is [Sandbox.Demo]; any other gets
// "535 5.7.8", also a name that differs by a trailing newline (what echo
// without -n adds), as Postfix and Dovecot compare exact bytes.
//
// # Practice faults
//
// A recipient's local part (any domain) chooses a reply, so a student can meet
// every reply code a server sends during a transaction. HELP faults lists
// them; the table is in faults.go.
//
//	busy@      RCPT   450 4.2.1 mailbox busy
//	error@     RCPT   451 4.3.0 local error
//	full@      RCPT   452 4.2.2 mailbox full
//	unknown@   RCPT   550 5.1.1 no such user
//	moved@     RCPT   551 5.1.6 user not local, names a forward address
//	quota@     RCPT   552 5.2.2 over quota
//	bad-name@  RCPT   553 5.1.3 mailbox name not allowed
//	forward@   RCPT   251 2.1.5 will forward (the message is still kept here)
//	slow@      RCPT   250, but only after a pause
//	bounce@    RCPT   250, then a bounce: a failure report (5.1.1) to MAIL FROM
//	reject@    DATA   554 5.7.1 after the final dot
//	drop@      DATA   the connection is closed in the middle of DATA
//
// # Delivery status notifications
//
// DSN (RFC 3461) is offered on both profiles: MAIL takes RET=FULL|HDRS and
// ENVID=, RCPT takes NOTIFY= and ORCPT= (go-smtp checks them). When a
// message is accepted, the sandbox stores in the same mailbox the reports
// they ask for (dsn.go, report.go), as RFC 3464 multipart/report messages
// from the mail system, with the null sender <>, to the envelope sender:
// a success report for recipients with NOTIFY=SUCCESS, and a failure report,
// a bounce, for bounce@ unless its NOTIFY leaves FAILURE out. After MAIL
// FROM:<> no report is ever made. A report returns the message's headers;
// the whole message only in a failure report with RET=FULL and when it is at
// most 64 KiB. Reports count against the mailbox limits like any message.
//
// # Strictness
//
// Every line a client sends must end in CRLF. A bare LF or bare CR anywhere,
// commands or message content, is answered with "500 5.5.2" and the
// connection is closed, storing nothing (SMTP smuggling, see docs/SECURITY.md, T5).
// Command lines are limited to 512 octets and text lines to 1000 octets
// including CRLF (RFC 5321 section 4.5.3.1); AUTH lines to 12288 (RFC 4954).
// Sequence errors are answered with 503 5.5.1 as RFC 5321 says, where
// go-smtp's own default is 502 (see rewrite.go).
//
// # Replies changed by the reply audit
//
// TestReplyAudit (audit_test.go) provokes every reply of each profile and
// checks its code against RFC 5321 section 4.3.2 and its enhanced code
// against the IANA registry. These replies changed with it (old -> new):
//
//	AUTH answer or initial response not base64 (RFC 4954 section 4: 501)
//	    454 4.7.0 Invalid base64 data -> 501 5.5.2 Cannot decode the response: it is not valid base64 ...
//	AUTH succeeded (RFC 4954 section 6; RFC 3463, IANA: X.7.0)
//	    235 2.0.0 Authentication succeeded -> 235 2.7.0 Authentication successful
//	AUTH cancelled with * (RFC 4954 section 4: 501; Postfix's 5.7.0)
//	    501 5.0.0 Negotiation cancelled -> 501 5.7.0 Authentication aborted: the client answered * ...
//	AUTH answer over 12288 octets (RFC 4954 sections 4 and 6, IANA X.5.6)
//	    500 5.5.2 Line too long: an AUTH line ... -> 500 5.5.6 Authentication Exchange line is too long ...
//	AUTH login with a trailing newline (still 535 5.7.8, the words say why)
//	    535 5.7.8 Authentication credentials invalid (use the practice login ...)
//	    -> 535 5.7.8 Authentication credentials invalid: your username or password ends with a newline ...
//	unknown MAIL or RCPT parameter (RFC 5321 section 4.1.1.11: 555)
//	    500 5.5.4 Unknown MAIL FROM argument -> 555 5.5.4 MAIL FROM parameter not recognized ...
//	    500 5.5.4 Unknown RCPT TO argument -> 555 5.5.4 RCPT TO parameter not recognized ...
//	parameter of an extension not offered (RFC 5321 section 4.1.1.11: 555)
//	    504 5.5.4 REQUIRETLS|BINARYMIME|RRVS|DELIVERBY|MT-PRIORITY is not implemented
//	    -> 555 5.5.4 ... not implemented: ... not in the EHLO reply ...
//	malformed MAIL AUTH= parameter (RFC 5321 section 4.2.2: 501 for arguments)
//	    500 5.5.4 Malformed AUTH parameter value|mailbox -> 501 5.5.4 Malformed AUTH= parameter ...
//	"VERB " with nothing after the space (words only)
//	    501 5.5.2 Bad command -> 501 5.5.2 Syntax error: nothing follows the space after the command
//	too many errors, closing (RFC 5321 section 3.8: 421; Postfix's 4.7.0)
//	    500 5.5.1 Too many errors. Quiting now -> 421 4.7.0 <host> Too many errors: closing the connection
//	sandbox-strict only, new refusals (rules.go)
//	    EHLO 91.198.212.5: 250 -> 501 5.5.2 Helo command rejected: Invalid name ...
//	    MAIL FROM: a@b: 250 2.1.0 -> 501 5.1.7 Bad sender address syntax ...
//	    RCPT TO: a@b: 250 2.1.5 -> 501 5.1.3 Bad recipient address syntax ...
//
// Checked and kept: the sequence errors are 503 5.5.1 (RCPT before MAIL
// included), 530 5.7.0 for STARTTLS and AUTH first (RFC 3207, RFC 4954),
// 535 5.7.8, 504 5.5.4 for an unknown mechanism, 503 5.5.1 for AUTH twice
// or during a transaction (RFC 4954 section 4), 500 5.5.2 for over-long
// lines (RFC 5321 section 4.5.3.1.10), 552 5.3.4, 452 4.5.3 and the
// practice faults.
//
// # Limits
//
// SIZE is advertised and enforced (552 5.3.4); at most Config.MaxRecipients
// recipients per message (452 4.5.3); each mailbox keeps the newest
// Config.MaxMessages messages, and the 250 reply says when the oldest one was
// removed to make room; all mailboxes together hold at most
// Config.MaxStoredBytes, counted as the memory the mail takes
// (store_cost.go), past which new mail is refused with 452 4.3.1. One client
// address may hold only its share of it, counting the DATA it is sending
// now, and start only so many messages a minute (quota.go, store_inflight.go,
// Config.ClientSessions). A mailbox with no connection and no reads for
// Config.MailboxIdle expires.
//
// # How it is built
//
// emersion/go-smtp does the SMTP conversation. Between it and the client sits
// a clientConn (conn.go, reader.go), which reads the client's bytes one line
// at a time, enforces the CRLF and length rules, answers STARTTLS and HELP
// itself, and rewrites a few go-smtp reply lines. It does STARTTLS itself
// (starttls.go) so that it keeps seeing plaintext after the handshake; see
// the comment there for why and how.
package sandbox
