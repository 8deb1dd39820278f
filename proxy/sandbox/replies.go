package sandbox

import "github.com/emersion/go-smtp"

// The sandbox's own replies, in one place so their words can be read and
// changed together. They are for a student: say what happened, what the rule
// is and, where it helps, where the rule is written. Replies are ASCII.

// Lines clientConn writes itself.
const (
	replyReadyTLS        = "220 2.0.0 Ready to start TLS"
	replyTLSActive       = "503 5.5.1 TLS is already active"
	replyTLSSyntax       = "501 5.5.4 Syntax: STARTTLS takes no parameters"
	replyBareLF          = "500 5.5.2 Bare LF received: every line must end with CRLF (RFC 5321 section 2.3.8); closing the connection"
	replyBareCR          = "500 5.5.2 Bare CR received: a CR must be followed by LF (RFC 5321 section 2.3.8); closing the connection"
	replyCommandTooLong  = "500 5.5.2 Line too long: a command line may be at most 512 octets including CRLF (RFC 5321 section 4.5.3.1.4)"
	replyAuthLineTooLong = "500 5.5.6 Authentication Exchange line is too long: at most 12288 octets (RFC 4954 section 4); closing the connection"
	replyEmptyLine       = "500 5.5.2 Empty line: type a command, for example EHLO client.example"
	replyUnknownCommand  = "500 5.5.2 Command not recognised: %s (HELP lists the commands)"
	replyNoHelp          = "504 5.5.4 No help on %s: try HELP, or HELP faults"
	replyVRFYSyntax      = "501 5.5.4 Syntax: VRFY address (RFC 5321 section 4.1.1.6)"
	replyShutdown        = "421 4.3.2 Service shutting down: the practice server is stopping; closing the connection"
)

// Errors sessions return; go-smtp writes them as replies.
var (
	errNestedMail = smtpError(503, 5, 5, 1,
		"Bad sequence of commands: a mail transaction is already open (RSET starts over)")
	errMustStartTLS = smtpError(530, 5, 7, 0, "Must issue a STARTTLS command first")
	errAuthRequired = smtpError(530, 5, 7, 0, "Authentication required")
	// The strict profile's syntax rules (rules.go), in Postfix's codes.
	errHelloName = smtpError(501, 5, 5, 2,
		"Helo command rejected: Invalid name: give your domain, or your IP address in brackets like [192.0.2.1] (RFC 5321 section 4.1.3)")
	errBadSender = smtpError(501, 5, 1, 7,
		"Bad sender address syntax: put the address in angle brackets, MAIL FROM:<you@example.org> (RFC 5321 section 4.1.1.2)")
	errBadRecipient = smtpError(501, 5, 1, 3,
		"Bad recipient address syntax: put the address in angle brackets, RCPT TO:<them@example.org> (RFC 5321 section 4.1.1.3)")
	errAuthInMail = smtpError(503, 5, 5, 1,
		"Bad sequence of commands: AUTH is not allowed during a mail transaction (RFC 4954 section 4)")
	errAuthFailed = smtpError(535, 5, 7, 8,
		"Authentication credentials invalid (use the practice login shown on the page)")
	errAuthNewline = smtpError(535, 5, 7, 8,
		"Authentication credentials invalid: your username or password ends with a newline (echo without -n adds one; use printf or echo -n)")
	errAuthMechanism = smtpError(504, 5, 5, 4,
		"Unrecognized authentication type: this server offers PLAIN and LOGIN")
	errAuthMalformed = smtpError(501, 5, 5, 2,
		"Cannot decode the AUTH PLAIN response: it should be base64 of authzid NUL username NUL password")
	errStoreFull = smtpError(452, 4, 3, 1,
		"Insufficient system storage: the sandbox holds all the mail it may right now; try again later")
)

// smtpError builds a reply for go-smtp.
func smtpError(code, class, subject, detail int, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{
		Code:         code,
		EnhancedCode: smtp.EnhancedCode{class, subject, detail},
		Message:      msg,
	}
}
