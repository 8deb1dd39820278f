package tunnel

import (
	"bytes"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wire"
)

// The conversation follower tracks an SMTP conversation just enough to stay
// safe (docs/PROTOCOL.md, "Binary frames from the client"): every command line is
// answered by exactly one reply, the line after a 334 is an AUTH continuation,
// and after a 354 lines are message content until the lone ".". So the proxy
// always knows which reply answers which line, and content that reads
// "STARTTLS" is never taken for a command.

// mode says how the next client line is to be read.
type mode int

const (
	modeCommand      mode = iota // a line is a command
	modeContinuation             // a line answers the server's 334 challenge
	modeContent                  // a line is message content, until the lone "."
)

// awaited is what a client line waits for: the reply that answers it.
type awaited int

const (
	awaitGreeting  awaited = iota // the server's 220 greeting
	awaitCommand                  // any command with no effect on the mode
	awaitQuit                     // QUIT
	awaitStartTLS                 // STARTTLS: a 2xx upgrades the leg to TLS
	awaitData                     // DATA: a 354 switches to content
	awaitAuth                     // AUTH: a 334 asks for another line
	awaitAnswer                   // an answer to a 334 challenge: another 334 asks for another line
	awaitEndOfData                // the lone "." that ends the content
)

// holding lists the lines whose reply decides how the next line is read, by
// the verb that names them: such a line must end its frame, and further
// frames wait for the reply. An answer to a 334 challenge holds too, and is
// named by no verb.
var holding = map[awaited]string{
	awaitStartTLS: "STARTTLS",
	awaitData:     "DATA",
	awaitAuth:     "AUTH",
	awaitAnswer:   "",
}

// verbs maps the command verbs the follower cares about to what they await.
var verbs = map[string]awaited{
	"STARTTLS": awaitStartTLS,
	"DATA":     awaitData,
	"AUTH":     awaitAuth,
	"QUIT":     awaitQuit,
}

// refusal is a client frame refused, with its contract code and why.
type refusal struct {
	code wire.Code
	said wire.Said
}

func (r *refusal) Error() string { return r.said.English() }

// action is what a completed reply asks of the session.
type action int

const (
	actNone      action = iota
	actUpgrade          // a 2xx answered STARTTLS: start TLS now
	actDeliver          // a 2xx answered the end of data: report deliveries
	actAuthLimit        // the last AUTH failure the quota allows
)

func over(used, limit int) bool { return limit > 0 && used > limit }

// Quota caps what one session may ask of a real server, so the playground
// is no spam cannon and no password-guessing oracle (docs/SECURITY.md, T4).
// A zero limit is no limit.
type Quota struct {
	Recipients   int // RCPT commands
	Messages     int // DATA commands
	AuthFailures int // AUTH exchanges refused with 5xx
}

// follower is the conversation state. It is not safe for concurrent use.
type follower struct {
	mode     mode
	pending  []awaited // lines sent and not yet answered, oldest first
	hold     awaited   // while held is true: the line whose reply is awaited
	held     bool
	upgrade  bool // a 2xx to STARTTLS was seen and TLS is not up yet
	tlsUp    bool
	quitSent bool

	// guard reports whether AUTH may go out now; nil allows it.
	guard func(tlsUp bool) bool

	quota                      Quota
	recipients, messages, auth int // used of the quota

	// reply parsing state, across lines and 8 KiB pieces
	midLine   bool // the last server bytes did not end a line
	lineFinal bool // the line being read is the last of its reply
	lineCode  int
}

func newFollower() *follower {
	return &follower{pending: []awaited{awaitGreeting}}
}

// accept checks the lines of a frame checkFrame passed against the
// conversation and, when it may be sent, records what each line awaits. A
// refused frame changes nothing.
func (f *follower) accept(frame []byte) error {
	if f.held || f.upgrade {
		return &refusal{wire.ReplyPending, f.pendingSaid()}
	}
	// Appends go past f.pending's length, where nothing f.pending holds
	// changes: a refused frame leaves it as it was.
	m, pending, quit := f.mode, f.pending, f.quitSent
	rcpts, msgs := f.recipients, f.messages
	for rest := frame; len(rest) > 0; {
		if m == modeContent {
			// Message lines are not looked at one by one: only the lone
			// "." that ends them matters.
			end := endOfContent(rest)
			if end < 0 {
				break
			}
			pending = append(pending, awaitEndOfData)
			m, rest = modeCommand, rest[end:]
			continue
		}
		var line []byte
		line, rest = cutLine(rest)
		last := len(rest) == 0
		if m == modeContinuation {
			if !last {
				return &refusal{wire.ReplyPending, wire.Say("answer-must-end")}
			}
			pending = append(pending, awaitAnswer)
			continue
		}
		verb := commandVerb(line)
		if verb == "BDAT" {
			return &refusal{wire.NotSupported, wire.Say("bdat")}
		}
		a, known := verbs[verb]
		if !known {
			a = awaitCommand
		}
		if name, ok := holding[a]; ok && !last {
			return &refusal{wire.ReplyPending, wire.Say("must-end-frame", "verb", name)}
		}
		if a == awaitAuth && f.guard != nil && !f.guard(f.tlsUp) {
			return &refusal{wire.NotAllowed, wire.Say("auth-in-clear")}
		}
		switch {
		case a == awaitQuit:
			quit = true
		case verb == "RCPT":
			rcpts++
			if over(rcpts, f.quota.Recipients) {
				return &refusal{wire.SessionLimit, wire.Say("too-many-recipients", "max", f.quota.Recipients)}
			}
		case a == awaitData:
			msgs++
			if over(msgs, f.quota.Messages) {
				return &refusal{wire.SessionLimit, wire.Say("too-many-messages", "max", f.quota.Messages)}
			}
		}
		pending = append(pending, a)
	}
	f.mode, f.pending, f.quitSent = m, pending, quit
	f.recipients, f.messages = rcpts, msgs
	if n := len(pending); n > 0 {
		if _, ok := holding[pending[n-1]]; ok {
			f.held, f.hold = true, pending[n-1]
		}
	}
	return nil
}

// pendingSaid says what a frame that came too early waits for: TLS, or the
// reply to the held line, named by its verb only (never the content of an
// answer to a challenge).
func (f *follower) pendingSaid() wire.Said {
	switch {
	case f.upgrade:
		return wire.Say("tls-starting")
	case f.hold == awaitAnswer:
		return wire.Say("reply-pending-answer")
	}
	return wire.Say("reply-pending", "verb", holding[f.hold])
}

// serverBytes takes one piece of server output, as the line reader delivers it
// (a whole line, or an 8 KiB piece of a longer one), and returns the action a
// completed reply asks for.
func (f *follower) serverBytes(piece []byte) action {
	if !f.midLine {
		f.lineCode, f.lineFinal = parseReplyStart(piece)
	}
	f.midLine = piece[len(piece)-1] != '\n'
	if f.midLine || !f.lineFinal {
		return actNone
	}
	return f.reply(f.lineCode)
}

// reply records that a complete reply with this code arrived.
func (f *follower) reply(code int) action {
	if len(f.pending) == 0 {
		return actNone // unsolicited, such as a 421 before the server closes
	}
	a := f.pending[0]
	f.pending = f.pending[1:]
	if f.held && len(f.pending) == 0 {
		f.held = false
	}
	positive := code >= 200 && code < 300
	switch {
	case a == awaitStartTLS && positive:
		f.upgrade = true
		return actUpgrade
	case a == awaitData && code == 354:
		f.mode = modeContent
	case (a == awaitAuth || a == awaitAnswer) && code == 334:
		f.mode = modeContinuation
	case a == awaitAuth || a == awaitAnswer:
		f.mode = modeCommand
		if code >= 500 {
			f.auth++
			if f.quota.AuthFailures > 0 && f.auth >= f.quota.AuthFailures {
				return actAuthLimit
			}
		}
	case a == awaitEndOfData && positive:
		return actDeliver
	}
	return actNone
}

// tlsStarted records that TLS is up; the client may send again.
func (f *follower) tlsStarted() {
	f.upgrade = false
	f.tlsUp = true
}

// commandMode reports whether the next client line would be a command.
func (f *follower) commandMode() bool { return f.mode == modeCommand }

var dotLine = []byte(".\r\n")

// endOfContent returns where the lone "." line that ends message content
// ends in lines, whole lines that checkFrame passed, or -1 when there is
// none. It looks for the dots, which most lines of a message do not end
// with (and base64 has none), rather than for the starts of lines.
func endOfContent(lines []byte) int {
	for i := 0; ; i++ {
		k := bytes.IndexByte(lines[i:], '.')
		if k < 0 {
			return -1
		}
		i += k
		if (i == 0 || lines[i-1] == '\n') && bytes.HasPrefix(lines[i+1:], crlf) {
			return i + len(dotLine)
		}
	}
}

// actedOn are the verbs the follower acts on: those of verbs, RCPT and BDAT.
var actedOn = []string{"STARTTLS", "DATA", "AUTH", "QUIT", "RCPT", "BDAT"}

// commandVerb returns the upper-cased text before the first space of a
// line when it is one of actedOn, and "" for any other ASCII verb, without
// allocating. A verb with other bytes comes back upper-cased by
// bytes.ToUpper, which maps some letters outside ASCII onto ASCII ones.
func commandVerb(line []byte) string {
	line = bytes.TrimRight(line, "\r\n")
	if i := bytes.IndexByte(line, ' '); i >= 0 {
		line = line[:i]
	}
	for _, c := range line {
		if c >= utf8.RuneSelf {
			return string(bytes.ToUpper(line))
		}
	}
	for _, v := range actedOn {
		if len(line) == len(v) && asciiUpperIs(line, v) {
			return v
		}
	}
	return ""
}

// asciiUpperIs reports whether ASCII b upper-cased is upper, of its length.
func asciiUpperIs(b []byte, upper string) bool {
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// parseReplyStart reads the code at the start of a server line and whether the
// line is the last of its reply ("250 ok", "250") rather than a continuation
// ("250-SIZE"). A line that does not start with three digits has code 0 and is
// not final: it is forwarded but answers nothing.
func parseReplyStart(line []byte) (code int, final bool) {
	if len(line) < 3 {
		return 0, false
	}
	for _, c := range line[:3] {
		if c < '0' || c > '9' {
			return 0, false
		}
		code = code*10 + int(c-'0')
	}
	if len(line) == 3 {
		return code, true
	}
	switch line[3] {
	case ' ', '\r', '\n':
		return code, true
	}
	return code, false
}
