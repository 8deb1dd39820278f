package session

import "github.com/smtplay/smtplay/wasm/phrase"

// Phase is where the conversation stands, as confirmed by the server's
// replies. Commands that have been sent but not answered do not change it.
type Phase string

// The phases of a conversation (RFC 5321 §3, §4.1.4).
const (
	PhaseGreeting      Phase = "awaiting-greeting" // connected, waiting for the 220 greeting
	PhaseGreeted       Phase = "greeted"           // 220 received: say EHLO
	PhaseReady         Phase = "ready"             // EHLO or HELO accepted
	PhaseAuth          Phase = "auth"              // AUTH exchange: the server sent 334
	PhaseAuthenticated Phase = "authenticated"     // 235 received, no transaction open
	PhaseMail          Phase = "mail"              // MAIL accepted, no recipient accepted yet
	PhaseRcpt          Phase = "rcpt"              // at least one recipient accepted
	PhaseData          Phase = "data"              // 354 received: typing the message
	PhaseBDAT          Phase = "bdat"              // a BDAT chunk accepted, more to come
	PhaseStartTLS      Phase = "starttls"          // 220 to STARTTLS: TLS handshake under way
	PhaseTLS           Phase = "tls"               // TLS is up: everything is forgotten, say EHLO again
	PhaseClosing       Phase = "closing"           // QUIT answered (or 421): the server closes
	PhaseClosed        Phase = "closed"            // the connection is over
)

// phaseBook says what each phase means and what to do next, by key
// "phase.<phase>".
var phaseBook = phrase.Table{
	{"phase." + string(PhaseGreeting), "Connected. Wait for the server's 220 greeting before you type (RFC 5321 §3.1)."},
	{"phase." + string(PhaseGreeted), "The server greeted you. Introduce yourself: EHLO <your-domain> (RFC 5321 §4.1.1.1)."},
	{"phase." + string(PhaseReady), "The session is open. Log in (AUTH), secure it (STARTTLS), or start a message with MAIL FROM:<...>."},
	{"phase." + string(PhaseAuth), "Logging in: answer the server's 334 prompt with one base64 line, or * to cancel (RFC 4954 §4)."},
	{"phase." + string(PhaseAuthenticated), "Logged in. Start a message with MAIL FROM:<...> (RFC 5321 §3.3)."},
	{"phase." + string(PhaseMail), "The sender is accepted. Add recipients: RCPT TO:<...>, one per line (RFC 5321 §3.3)."},
	{"phase." + string(PhaseRcpt), "Recipients accepted. Add more, or send the message: DATA (RFC 5321 §3.3)."},
	{"phase." + string(PhaseData), "Type the message: header lines, an empty line, the body, then a line with a single dot (RFC 5321 §4.1.1.4)."},
	{"phase." + string(PhaseBDAT), "Sending the message in BDAT chunks; the last one says LAST (RFC 3030 §2)."},
	{"phase." + string(PhaseStartTLS), "The server agreed to STARTTLS; the TLS handshake is under way (RFC 3207 §4)."},
	{"phase." + string(PhaseTLS), "TLS is up. Both sides forgot everything said before: send EHLO again (RFC 3207 §4.2)."},
	{"phase." + string(PhaseClosing), "The server is closing the connection (RFC 5321 §4.1.1.10)."},
	{"phase." + string(PhaseClosed), "The connection is closed."},
}

// Explain says what the phase means and what to do next, in a sentence for a
// student.
func (p Phase) Explain() string { return p.explained().English }

// explained is Explain with its phrase; nothing for a phase that is not one
// of the package's.
func (p Phase) explained() phrase.Text {
	if _, ok := book.Lookup("phase." + string(p)); !ok {
		return phrase.Text{}
	}
	return say("phase." + string(p))
}

// Mode says what the next line the person types will be.
type Mode string

// The input modes.
const (
	ModeCommand      Mode = "command"       // an SMTP command
	ModeContent      Mode = "content"       // a line of the message, after 354
	ModeAuthResponse Mode = "auth-response" // the answer to a 334 prompt (secret)
	ModeChunk        Mode = "chunk"         // BDAT chunk data
	ModeWait         Mode = "wait"          // nothing: a reply or the TLS handshake must come first
	ModeClosed       Mode = "closed"        // nothing: the connection is over
)

// State is a snapshot of the conversation for the view.
type State struct {
	// Phase is where the conversation stands, as the replies confirm it.
	Phase Phase `json:"phase"`
	// Mode is what the next typed line will be.
	Mode Mode `json:"mode"`
	// TLS is true once the proxy reported TLS up.
	TLS bool `json:"tls"`
	// Extended is true after an accepted EHLO (false after HELO).
	Extended bool `json:"extended"`
	// Authenticated is true after a 235.
	Authenticated bool `json:"authenticated"`
	// Sandbox is the Options value: the target is the built-in sandbox.
	Sandbox bool `json:"sandbox"`
	// Pending lists the lines waiting for a reply, oldest first (secrets
	// masked); "(greeting)" stands for the server's greeting.
	Pending []string `json:"pending,omitempty"`
	// MailFrom is the envelope sender of the open transaction.
	MailFrom string `json:"mail_from,omitempty"`
	// Recipients accepted and refused in the open transaction.
	Recipients []string `json:"recipients,omitempty"`
	Refused    []string `json:"refused,omitempty"`
	// Explanation says what the phase means and what to do next;
	Explanation phrase.Text `json:"explanation"`
}
