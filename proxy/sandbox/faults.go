package sandbox

import (
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"
)

// stage is when a practice fault shows.
type stage string

const (
	atRcpt stage = "RCPT"
	atData stage = "DATA" // after the final dot, or during DATA for drop@
)

// fault is a practice reply chosen by a recipient's local part, whatever the
// domain, so a student can meet every reply code a server sends during a
// transaction.
type fault struct {
	local    string // local part, lower case
	stage    stage
	code     int
	enhanced smtp.EnhancedCode
	// text is the reply text; "{forward}" stands for the address a 251 or
	// 551 names.
	text   string
	accept bool // RCPT succeeds (with code and text, if set) and the message is kept
	pause  bool // the RCPT reply comes after Sandbox.slowDelay
	drop   bool // the connection is closed in the middle of DATA, with no reply
	// bounce, if set, is the failure found after the message was accepted:
	// the recipient's copy is not kept and a failure report goes to the
	// envelope sender (dsn.go).
	bounce *bounce
	about  string
}

// bounce is a delivery failure found after the 250 to the final dot, as a
// real server finds it when the final mailbox refuses a queued message.
type bounce struct {
	code     int
	enhanced smtp.EnhancedCode
	text     string
}

// diagnostic is the reply the failed delivery got, for the report's
// Diagnostic-Code field.
func (b *bounce) diagnostic() string { return replyLine(b.code, b.enhanced, b.text) }

// faults, in the order HELP faults lists them.
var faults = []fault{
	{local: "busy", stage: atRcpt, code: 450, enhanced: smtp.EnhancedCode{4, 2, 1},
		text:  "Mailbox busy: try again later (practice fault busy@)",
		about: "450 4.2.1 mailbox busy, try again later"},
	{local: "error", stage: atRcpt, code: 451, enhanced: smtp.EnhancedCode{4, 3, 0},
		text:  "Local error in processing: try again later (practice fault error@)",
		about: "451 4.3.0 local error, try again later"},
	{local: "full", stage: atRcpt, code: 452, enhanced: smtp.EnhancedCode{4, 2, 2},
		text:  "Mailbox full: the recipient must make room first (practice fault full@)",
		about: "452 4.2.2 mailbox full"},
	{local: "unknown", stage: atRcpt, code: 550, enhanced: smtp.EnhancedCode{5, 1, 1},
		text:  "No such user here: check the address (practice fault unknown@)",
		about: "550 5.1.1 no such user"},
	{local: "moved", stage: atRcpt, code: 551, enhanced: smtp.EnhancedCode{5, 1, 6},
		text:  "User not local; please try <{forward}> (practice fault moved@)",
		about: "551 5.1.6 user has moved, names the new address"},
	{local: "quota", stage: atRcpt, code: 552, enhanced: smtp.EnhancedCode{5, 2, 2},
		text:  "Mailbox over quota: no room for this message (practice fault quota@)",
		about: "552 5.2.2 over quota"},
	{local: "bad-name", stage: atRcpt, code: 553, enhanced: smtp.EnhancedCode{5, 1, 3},
		text:  "Mailbox name not allowed (practice fault bad-name@)",
		about: "553 5.1.3 mailbox name not allowed"},
	{local: "forward", stage: atRcpt, code: 251, enhanced: smtp.EnhancedCode{2, 1, 5}, accept: true,
		text:  "User not local; will forward to <{forward}> (practice fault forward@; the sandbox keeps the message)",
		about: "251 2.1.5 accepted, will forward"},
	{local: "slow", stage: atRcpt, code: 250, enhanced: smtp.EnhancedCode{2, 1, 5}, accept: true, pause: true,
		text:  "Recipient OK, after a pause (practice fault slow@: a slow server)",
		about: "250 2.1.5 after a pause of a few seconds"},
	{local: "bounce", stage: atRcpt, code: 250, enhanced: smtp.EnhancedCode{2, 1, 5}, accept: true,
		text: "Recipient OK (practice fault bounce@: accepted now, bounced after the message)",
		bounce: &bounce{code: 550, enhanced: smtp.EnhancedCode{5, 1, 1},
			text: "Mailbox does not exist: the message bounced after it was accepted (practice fault bounce@)"},
		about: "250 2.1.5 now; after the message, a bounce (failure report, 5.1.1) to MAIL FROM"},
	{local: "reject", stage: atData, code: 554, enhanced: smtp.EnhancedCode{5, 7, 1}, accept: true,
		text:  "Message rejected by the content filter (practice fault reject@)",
		about: "554 5.7.1 after the final dot: message rejected"},
	{local: "drop", stage: atData, accept: true, drop: true,
		about: "no reply: the connection is closed in the middle of DATA"},
}

// lookupFault finds the fault for a recipient address, or nil.
func lookupFault(addr string) *fault {
	local, _ := splitAddress(addr)
	local = strings.ToLower(local)
	for i := range faults {
		if faults[i].local == local {
			return &faults[i]
		}
	}
	return nil
}

// splitAddress splits at the last "@". An address without one (RCPT
// TO:<postmaster>) is all local part.
func splitAddress(addr string) (local, domain string) {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i], addr[i+1:]
	}
	return addr, ""
}

// reply is the fault's reply line for recipient addr.
func (f *fault) reply(addr string) string { return replyLine(f.code, f.enhanced, f.message(addr)) }

// replyLine formats a one-line reply with its enhanced code.
func replyLine(code int, enhanced smtp.EnhancedCode, text string) string {
	return fmt.Sprintf("%d %d.%d.%d %s", code, enhanced[0], enhanced[1], enhanced[2], text)
}

// errorLine is the reply line go-smtp writes for e.
func errorLine(e *smtp.SMTPError) string { return replyLine(e.Code, e.EnhancedCode, e.Message) }

// err is the fault's reply as an error for go-smtp.
func (f *fault) err(addr string) error {
	return &smtp.SMTPError{Code: f.code, EnhancedCode: f.enhanced, Message: f.message(addr)}
}

func (f *fault) message(addr string) string {
	local, _ := splitAddress(addr)
	return strings.ReplaceAll(f.text, "{forward}", local+"@new-home.example")
}

// faultHelp is the text of HELP faults.
func faultHelp() []string {
	lines := []string{"Practice faults: the recipient's local part (any domain) picks the reply."}
	for _, f := range faults {
		lines = append(lines, fmt.Sprintf("%-10s %s  %s", f.local+"@", f.stage, f.about))
	}
	return append(lines, "Any other recipient is accepted into your mailbox; nothing ever leaves the sandbox.")
}
