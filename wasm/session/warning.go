package session

// Warning is a prediction or a remark about a line: what the server will
// probably answer and why. Warnings never stop a line: the person may send it
// anyway.
type Warning struct {
	// Code is stable, for the page and for tests: "rcpt-before-mail".
	Code string `json:"code"`
	// Message is a sentence or two for a student.
	Message string `json:"message"`
	// RFC names the rule, e.g. "RFC 5321 §4.1.4".
	RFC string `json:"rfc,omitempty"`
	// Expect is the reply the server will probably give, e.g. "503", when
	// there is one to predict.
	Expect string `json:"expect,omitempty"`
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
