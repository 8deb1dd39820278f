package session

import "github.com/smtplay/smtplay/wasm/phrase"

// Warning is a prediction or a remark about a line: what the server will
// probably answer and why. Warnings never stop a line: the person may send it
// anyway.
type Warning struct {
	// Code is stable, for the page and for tests: "rcpt-before-mail".
	Code string `json:"code"`
	// Message is a sentence or two for a student, in phrases a language
	// file may translate.
	Message phrase.Text `json:"message"`
	// RFC names the rule, e.g. "RFC 5321 §4.1.4".
	RFC string `json:"rfc,omitempty"`
	// Expect is the reply the server will probably give, e.g. "503", when
	// there is one to predict.
	Expect string `json:"expect,omitempty"`
	// Sure is true when Expect is what this server answers, not only what
	// servers usually answer: the target is a sandbox whose profile is
	// known.
	Sure bool `json:"sure,omitempty"`
	// Accepted is true when this server is known to accept what the
	// warning is about, though strict servers refuse it.
	Accepted bool `json:"accepted,omitempty"`
}

// Warning codes. Predictions about commands:
const (
	WarnBeforeGreeting     = "before-greeting"       // command before the 220 greeting
	WarnAfterQuit          = "after-quit"            // anything after QUIT or a 421
	WarnNoService          = "no-service"            // the greeting was 554
	WarnEmptyLine          = "empty-line"            // an empty command line
	WarnUnknownCommand     = "unknown-command"       // verb not in RFC 5321 or its extensions
	WarnHeaderInCommand    = "header-in-command"     // "Subject: x" typed as a command
	WarnDotOutsideData     = "dot-outside-data"      // "." typed in command mode
	WarnSyntax             = "syntax"                // malformed arguments: 501
	WarnHelloNoDomain      = "hello-without-domain"  // EHLO/HELO without a domain
	WarnHelloResets        = "hello-resets"          // EHLO in a transaction resets it
	WarnNoHello            = "no-hello"              // MAIL, AUTH... before EHLO/HELO
	WarnNoAngleBrackets    = "no-angle-brackets"     // MAIL FROM:a@b instead of <a@b>
	WarnAddressLiteral     = "address-literal"       // EHLO 192.0.2.1 instead of [192.0.2.1]
	WarnTLSRequired        = "tls-required"          // MAIL or AUTH before STARTTLS where TLS is required
	WarnSpaceAfterColon    = "space-after-colon"     // MAIL FROM: <a@b>
	WarnNestedMail         = "nested-mail"           // MAIL while a transaction is open
	WarnMailBeforeAuth     = "mail-before-auth"      // MAIL without AUTH on a server offering AUTH
	WarnRcptBeforeMail     = "rcpt-before-mail"      // RCPT without MAIL: 503
	WarnEmptyRecipient     = "empty-recipient"       // RCPT TO:<>
	WarnTooManyRecipients  = "too-many-recipients"   // over X-RCPTLIMIT or LIMITS RCPTMAX
	WarnDataBeforeRcpt     = "data-before-rcpt"      // DATA with no accepted recipient
	WarnDataAfterBDAT      = "data-after-bdat"       // DATA in a BDAT transaction
	WarnBDATTunnel         = "bdat-tunnel"           // the tunnel does not carry BDAT
	WarnBDATNotOffered     = "bdat-not-offered"      // BDAT without CHUNKING
	WarnBDATOverrun        = "bdat-overrun"          // a chunk line crosses the declared size
	WarnParamNotOffered    = "param-not-offered"     // SIZE=, BODY=... without the extension
	WarnSizeExceeds        = "size-exceeds"          // SIZE= or the message above the server's SIZE
	WarnEightBitCommand    = "eight-bit-command"     // non-ASCII in a command without SMTPUTF8
	WarnEightBitText       = "eight-bit-text"        // 8-bit message text without 8BITMIME
	WarnEightBitUndeclared = "eight-bit-undeclared"  // 8BITMIME offered, BODY=8BITMIME not said
	WarnCommandTooLong     = "command-too-long"      // over 512 octets
	WarnTextTooLong        = "text-too-long"         // over 1000 octets
	WarnAuthLineTooLong    = "auth-line-too-long"    // AUTH line over the limit
	WarnStartTLSNotOffered = "starttls-not-offered"  // STARTTLS not in the EHLO list
	WarnTLSAlready         = "tls-already"           // STARTTLS with TLS up
	WarnAuthNotOffered     = "auth-not-offered"      // no AUTH in the EHLO list
	WarnAuthHidden         = "auth-hidden"           // no AUTH before STARTTLS, STARTTLS offered
	WarnAuthMechanism      = "auth-mechanism"        // mechanism not offered
	WarnAuthAlready        = "auth-already"          // AUTH after a successful AUTH
	WarnAuthInTransaction  = "auth-in-transaction"   // AUTH during a mail transaction
	WarnCleartext          = "cleartext-credentials" // credentials without TLS
	WarnNotBase64          = "not-base64"            // an AUTH answer that is not base64
	WarnNewlineInSecret    = "newline-in-secret"     // base64 of text ending in a newline
	WarnNoPipelining       = "no-pipelining"         // a second command in flight without PIPELINING
	WarnPipelineSync       = "pipeline-sync"         // a command after EHLO/NOOP... in one group
)

// Warning codes about message content (DATA mode):
const (
	WarnMissingBlankLine = "missing-blank-line"     // body text with no empty line after the header
	WarnHeaderFrom       = "header-from-differs"    // From: is not the envelope sender
	WarnHeaderTo         = "header-to-not-envelope" // To:/Cc: address with no RCPT
	WarnMissingHeader    = "missing-header"         // no From: or Date: at the final dot
	WarnHeaderAfterBody  = "header-after-body"      // a known "Name: value" line in the body
	WarnDuplicateHeader  = "duplicate-header"       // a second Subject:, From:... (RFC 5322 §3.6)
	WarnEightBitHeader   = "eight-bit-header"       // raw 8-bit in a header without SMTPUTF8
)

// Warning codes about what the server or the proxy did:
const (
	WarnMalformedReply   = "malformed-reply"     // a server line that is not a reply line
	WarnBareLF           = "bare-lf"             // a server line ending in LF without CR
	WarnMixedCodes       = "mixed-codes"         // lines of one reply with different codes
	WarnUnsolicited      = "unsolicited-reply"   // a reply with no command waiting for it
	WarnLateCapabilities = "late-capabilities"   // EHLO lines after the EHLO reply had ended
	WarnPlaintextInject  = "plaintext-injection" // bytes after the 220 to STARTTLS
	WarnTLSUnverified    = "tls-unverified"      // the certificate did not verify
	WarnClosedMidData    = "closed-mid-data"     // connection lost while typing the message
	WarnClosedNoReply    = "closed-no-reply"     // connection lost with commands unanswered
	WarnRefused          = "refused-by-proxy"    // the tunnel refused a line
)

// warningBook holds the warnings' messages, by key "warn.<what>": one key
// per sentence, so one warning code may have several.
var warningBook = phrase.Table{
	// Predictions about commands (check.go, command.go).
	{"warn.after-quit", "The session is ending (QUIT was sent, or the server said 421): nothing after it will be answered."},
	{"warn.before-greeting", "The server has not greeted you yet. Wait for its 220: many servers drop clients that talk first."},
	{"warn.no-service", "The server greeted you with 554: it offers no service here and will answer 503 to everything but QUIT."},
	{"warn.command-too-long", "This command line is {octets} octets with its CRLF; the limit is 512."},
	{"warn.eight-bit-command", "Commands are US-ASCII (RFC 5321 §2.4). Non-ASCII addresses need the SMTPUTF8 extension: MAIL FROM:<...> SMTPUTF8."},
	{"warn.empty-line", "An empty line is not a command; the server will answer 500."},
	{"warn.hello-resets", "{verb} in the middle of a transaction resets it, like RSET: the sender and recipients are forgotten."},
	{"warn.tls-already", "TLS is already up; a client must not start it twice."},
	{"warn.starttls-before-hello", "Send EHLO first: its reply says whether the server offers STARTTLS."},
	{"warn.starttls-not-offered", "The server did not offer STARTTLS in its EHLO reply."},
	{"warn.removed-command", "{verb} was removed from SMTP; expect 502."},
	{"warn.command-not-offered", "The server did not offer {verb} in its EHLO reply."},
	{"warn.dot-outside-data", "There is no message to end: you are not in DATA. The server will answer 500."},
	{"warn.unknown-command", "The server will not recognise {verb}: expect 500 (unrecognised) or 502 (not implemented)."},
	{"warn.pipeline-sync", "{verb} must be the last command of a group: wait for its reply before sending more."},
	{"warn.no-pipelining", "The server did not offer PIPELINING: wait for each reply before the next command. Some servers drop clients that do not."},
	{"warn.mail-before-hello", "Say EHLO (or HELO) first: a mail transaction needs an open session."},
	{"warn.nested-mail", "A transaction is already open: finish it with DATA, or RSET, before a new MAIL."},
	{"warn.mail-before-auth", "This server offers AUTH and you have not logged in. A submission server (port 587) will refuse with 530 5.7.0; a server receiving mail for its own domains (port 25) accepts it."},
	{"warn.rcpt-before-mail", "RCPT before MAIL: there is no open transaction, so the server will answer 503 (bad sequence of commands). Start with MAIL FROM:<you@example.org>."},
	{"warn.empty-recipient", "<> is the null sender for MAIL FROM; a recipient needs an address."},
	{"warn.too-many-recipients", "The server announced at most {max} recipients per message; send the rest in another transaction."},
	{"warn.no-angle-brackets", "Put the address in angle brackets: {example}. Strict servers answer 501; some accept it (Yandex has)."},
	{"warn.space-after-colon", "RFC 5321 has no space after {keyword} ({verb} {keyword}<...>). Most servers tolerate it; strict ones answer 501."},
	{"warn.param-unknown", "smtplay does not know the parameter {param}; a server that does not know it answers 555."},
	{"warn.param-not-offered", "{param}= needs the {extension} extension, which the server did not offer: expect 555."},
	{"warn.size-exceeds", "SIZE={size} is above the server's limit of {limit} bytes: expect 552 5.3.4."},
	{"warn.bdat-tunnel", "The playground's tunnel does not carry BDAT (its chunks need not end at a line end); use DATA."},
	{"warn.bdat-not-offered", "The server did not offer CHUNKING, so it does not know BDAT."},
	{"warn.data-after-bdat", "This transaction already sent BDAT chunks; DATA and BDAT cannot be mixed."},
	{"warn.data-before-rcpt", "No recipient has been accepted yet: the server will answer 503 or 554 (no valid recipients). Add one with RCPT TO:<...>."},
	{"warn.data-without-mail", "There is no mail transaction: send MAIL FROM:<...> and RCPT TO:<...> first, or the server answers 503."},
	{"warn.auth-before-hello", "Say EHLO first: AUTH is an extension the server lists in its EHLO reply."},
	{"warn.auth-already", "You are already logged in; a second AUTH gets 503."},
	{"warn.auth-in-transaction", "AUTH is not allowed during a mail transaction: finish it or RSET first."},
	{"warn.tls-required", "This server requires STARTTLS first: send STARTTLS, then EHLO again."},
	{"warn.auth-hidden", "The server does not offer AUTH before TLS: many hide it so that passwords never travel in the clear. Send STARTTLS, then EHLO again."},
	{"warn.auth-not-offered", "The server did not offer AUTH in its EHLO reply."},
	{"warn.auth-mechanism", "{mechanism} is not among the offered mechanisms ({offered}): expect 504 5.5.4."},
	{"warn.auth-line-too-long", "With its initial response the AUTH line is over 512 octets: send AUTH {mechanism} alone and the response after the 334."},
	{"warn.auth-answer-too-long", "This answer is longer than the 12288 octets servers must accept: expect 500 5.5.6."},
	{"warn.cleartext-sandbox", "Base64 is an encoding, not encryption: anyone on the path could read this. Fine for the sandbox; on a real server use STARTTLS first."},
	{"warn.cleartext-confirm", "Your credentials would cross the internet unencrypted: base64 is an encoding, not encryption. Send STARTTLS first, or confirm to send anyway."},
	{"warn.not-base64", "This is not valid base64; the server will answer 501 5.5.2. Encode it first, e.g. echo -n 'text' | base64."},
	{"warn.newline-in-secret", "This base64 encodes text that ends with a newline, as echo without -n makes it: the newline becomes part of the name or password. Use echo -n or printf."},
	{"warn.header-in-command", "This is a header line: it belongs inside DATA, after the 354. As a command the server will answer 500."},
	{"warn.header-in-command.to", "For the envelope recipient, use RCPT TO:<address>."},
	{"warn.header-in-command.from", "For the envelope sender, use MAIL FROM:<address>."},
	{"warn.syntax.hello-without-domain", "{verb} needs your domain name or address literal, e.g. {verb} localhost. Expect 501 (Gmail has answered 502 5.5.1)."},
	{"warn.syntax.address-literal", "An IP address goes in square brackets as an address literal: {verb} [{address}]. Strict servers answer 501."},
	{"warn.syntax.auth-mechanism", "AUTH needs a mechanism from the server's AUTH line, e.g. AUTH PLAIN or AUTH LOGIN."},
	{"warn.syntax.bdat-size", "BDAT needs the chunk size in octets, and LAST on the final chunk: BDAT 120 LAST."},
	{"warn.syntax.bdat-number", "The BDAT size must be a number of octets."},
	{"warn.syntax.bdat-last", "The only word allowed after the BDAT size is LAST."},
	{"warn.syntax.no-argument", "{verb} takes no argument; expect 501."},
	{"warn.syntax.lookup", "{verb} needs a name or address to look up."},
	{"warn.syntax.path-keyword", "{verb} needs {keyword}: and the address: {example}. Expect 501."},
	{"warn.syntax.path-bracket", "The address has a < but no closing >: {example}. Expect 501."},
	{"warn.syntax.path-empty", "{verb} needs an address: {example}. Expect 501."},
	{"warn.syntax.path-params", "Put a space between the address and its parameters: {example} SIZE=1000."},

	// Remarks about message content (content.go).
	{"warn.missing-header", "The message has no {header}: header, which RFC 5322 requires. Submission servers often add it; others may reject the message or mark it as spam."},
	{"warn.text-too-long", "This line is {octets} octets with its CRLF; the limit is 1000. Servers may reject the message or break the line. Use quoted-printable or base64 for long lines."},
	{"warn.eight-bit-text", "This line has 8-bit characters, but the server did not offer 8BITMIME: SMTP text is 7-bit US-ASCII. Encode the body (quoted-printable or base64) with Content-Transfer-Encoding."},
	{"warn.eight-bit-undeclared", "This line has 8-bit characters: the server offers 8BITMIME, but MAIL FROM should have said BODY=8BITMIME."},
	{"warn.message-exceeds-size", "The message is now bigger than the server's SIZE limit of {limit} bytes: expect 552 5.3.4 after the final dot."},
	{"warn.missing-blank-line", "This line has no “name:”, so it is not a header field, and no empty line came before it. Most mail servers take it as the first line of the body, so the header ends here; some readers, this sandbox's among them, cannot read such a header at all and show the whole message, headers included, as text, with no subject. Put an empty line between the header and the body."},
	{"warn.header-after-body", "The header section has ended (at the empty line, or at the first line that was not a header field), so this {name}: line is body text: mail programs will not show it as a header. Header fields go above the empty line."},
	{"warn.duplicate-header", "The message already has a {name}: field, and RFC 5322 allows only one. Readers show one of the two (this sandbox the first); some servers, Gmail among them, refuse such a message after the final dot with 550 5.7.1."},
	{"warn.eight-bit-header", "Header fields are US-ASCII (RFC 5322 §2.2). Non-ASCII text in a header needs an RFC 2047 encoded-word (=?UTF-8?Q?...?=), or SMTPUTF8 on MAIL FROM (RFC 6532); sent raw, it may be shown garbled or refused."},
	{"warn.header-from-differs", "From: says {address}, but the envelope sender (MAIL FROM) is <{sender}>."},
	{"warn.header-to-not-envelope", "{address} is in the {header}: header but got no RCPT TO, so the server will not deliver to it: only the envelope counts."},
	{"warn.bdat-overrun", "Only {octets} octets are left in this chunk: the server will read the rest of the line as a command."},

	// Remarks about what the server or the proxy did (receive.go, events.go).
	{"warn.bare-lf", "This line ends in a bare LF; SMTP lines end in CRLF."},
	{"warn.malformed-reply", "The server sent a line that is not an SMTP reply:"},
	{"warn.mixed-codes", "The lines of one reply should all have the same code; this one has {code} after {first}."},
	{"warn.late-capabilities", "These lines came after the EHLO reply had ended (its last line had a space after 250, not a hyphen). smtplay reads them as more capabilities; a strict client would take them as the answer to its next command."},
	{"warn.unsolicited-reply", "No command was waiting for this reply. Replies are matched to commands in order, so an extra one would be taken as the answer to the next command."},
	{"warn.tls-unverified", "The server's certificate did not verify ({reason}): the connection is encrypted, but you cannot be sure who is at the other end."},
	{"warn.plaintext-injection", "{bytes} bytes arrived in plaintext after the 220 to STARTTLS; the proxy dropped them. Someone may have tried to inject commands into the encrypted session."},
	{"warn.closed-mid-data", "The connection closed while the message was being typed: the server did not take it. Only the 250 after the final dot means a message was accepted."},
	{"warn.closed-before-greeting", "The connection closed before the server greeted you."},
	{"warn.closed-before-dot-reply", "The connection closed before the server answered the final dot: nobody knows whether it took the message. Sending it again may deliver it twice."},
	{"warn.closed-unanswered", "The connection closed with lines unanswered: {lines}."},
	{"warn.refused-bdat", "The playground's tunnel does not carry BDAT; use DATA."},
	{"warn.refused-auth", "The proxy does not carry AUTH in the clear to this server: send STARTTLS and EHLO first."},
	{"warn.refused", "The proxy refused the line ({code}): {message}"},
	// Before a message said in phrases of its own (the proxy's sentence).
	{"warn.refused-lead", "The proxy refused the line ({code}):"},
}
