package session

import (
	"slices"
	"sync"
	"time"

	"github.com/smtplay/smtplay/wire"
)

// Options configure a Session. The zero value is a session to a real server.
type Options struct {
	// Sandbox is true when the target is smtplay's built-in practice server:
	// credentials in the clear are then fine and need no confirmation.
	Sandbox bool `json:"sandbox"`
	// Profile is what a sandbox target refuses, from the tunnel's opened
	// message: with it, predictions are sure (see fitToTarget). Nil for a
	// real server.
	Profile *wire.Profile `json:"profile,omitempty"`
	// Submission is true when the server is a submission server (port 587
	// or 465, RFC 6409), which wants AUTH before MAIL.
	Submission bool `json:"submission,omitempty"`
	// HelloName is the domain suggested for EHLO; "localhost" if empty.
	HelloName string `json:"hello_name,omitempty"`
	// Now is the clock; time.Now if nil. Tests set it.
	Now func() time.Time `json:"-"`
}

// Session is the client side of one SMTP conversation. Create it with New
// when the tunnel reports the connection open; it then waits for the
// server's greeting. A Session is safe for concurrent use.
type Session struct {
	mu    sync.Mutex
	opt   Options
	start time.Time

	c       conv      // the conversation as the server's replies confirm it
	pending []pending // lines waiting for a reply, oldest first

	group   []ReplyLine // lines of the reply being received
	partial []byte      // a piece of a server line that has no LF yet

	entries []Entry        // the transcript
	secrets map[int]string // transcript seq → the unmasked text

	lastTo      string // what the last complete reply answered
	quietSince  bool   // nothing was submitted since the last complete reply
	authConfirm bool   // the person confirmed credentials in the clear for this AUTH
	authMech    string // mechanism of the AUTH exchange under way
	lastPrompt  string // decoded text of the last 334
	chunkLeft   int64  // octets of BDAT chunk data still to type
}

// New starts a session: connected, waiting for the greeting.
func New(opt Options) *Session {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.HelloName == "" {
		opt.HelloName = "localhost"
	}
	s := &Session{opt: opt, start: opt.Now(), secrets: map[int]string{}}
	s.c.phase = PhaseGreeting
	s.pending = []pending{{kind: kindGreeting, shown: "(greeting)", at: s.start}}
	return s
}

// Pending kinds: what a reply will answer.
const (
	kindGreeting  = "greeting"
	kindCommand   = "command"
	kindAuthReply = "auth-response"
	kindEndOfData = "end-of-data"
)

// pending is a line (or the connection itself) waiting for its reply.
type pending struct {
	kind  string
	cmd   Command
	shown string // the line, secrets masked
	seq   int    // the line's transcript entry; 0 for the greeting
	at    time.Time
	// predicted is the warning that predicted the reply, if one did.
	predicted *Warning
}

// to names what a reply to p answers, as in Reply.To.
func (p pending) to() string {
	switch {
	case p.kind == kindCommand && p.cmd.Verb == "":
		return toEmptyLine
	case p.kind == kindCommand:
		return p.cmd.Verb
	}
	return p.kind
}

// toEmptyLine is Reply.To for the answer to an empty command line.
const toEmptyLine = "empty-line"

// conv is what is known of the conversation: by the server's replies (the
// Session's c), or by assuming that every pending command succeeds (the
// projection that checks use).
type conv struct {
	phase     Phase
	tls       bool
	authed    bool
	hello     bool // EHLO or HELO accepted since connect or TLS
	restarted bool // TLS came up by STARTTLS: EHLO must be said again
	extended  bool // it was EHLO
	noService bool // the greeting was 554
	capsKnown bool // caps holds an EHLO answer (or HELO: none)
	caps      capSet

	// The mail transaction.
	mailFrom string
	body8bit bool // MAIL said BODY=8BITMIME (or BINARYMIME)
	utf8     bool // MAIL said SMTPUTF8
	rcpts    []string
	refused  []string
	bdat     bool // BDAT was used in this transaction

	// The message being typed after 354.
	msg message
}

// message tracks the content typed in DATA mode.
type message struct {
	dotSent    bool              // the final "." was sent
	inBody     bool              // the empty line after the header was typed
	headers    map[string]string // lower-case name → value
	lastHeader string
	bytes      int64 // bytes of content sent, with CRLFs and stuffing
	warned8bit bool
	warnedSize bool
}

func (c conv) clone() conv {
	c.caps = slices.Clone(c.caps)
	c.rcpts = slices.Clone(c.rcpts)
	c.refused = slices.Clone(c.refused)
	return c
}

// idle is the phase with no transaction open.
func (c *conv) idle() Phase {
	switch {
	case !c.hello && c.restarted:
		return PhaseTLS
	case !c.hello:
		return PhaseGreeted
	case c.authed:
		return PhaseAuthenticated
	}
	return PhaseReady
}

func (c *conv) resetTransaction() {
	c.mailFrom, c.body8bit, c.utf8, c.bdat = "", false, false, false
	c.rcpts, c.refused = nil, nil
	c.msg = message{}
}

func (c *conv) inTransaction() bool {
	return c.phase == PhaseMail || c.phase == PhaseRcpt || c.phase == PhaseBDAT
}

// projected is the conversation as it will be if every pending line gets a
// positive reply.
func (s *Session) projected() conv {
	p := s.c.clone()
	for _, pe := range s.pending {
		advance(&p, pe, optimistic(pe), nil)
	}
	return p
}

// State reports where the conversation stands.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{
		Phase:         s.c.phase,
		Mode:          s.mode(),
		TLS:           s.c.tls,
		Extended:      s.c.extended,
		Authenticated: s.c.authed,
		Sandbox:       s.opt.Sandbox,
		MailFrom:      s.c.mailFrom,
		Recipients:    slices.Clone(s.c.rcpts),
		Refused:       slices.Clone(s.c.refused),
		Explanation:   s.c.phase.explained(),
	}
	for _, p := range s.pending {
		st.Pending = append(st.Pending, p.shown)
	}
	return st
}

// Capabilities returns what the server's last EHLO reply offered, in its
// order; none before EHLO or after TLS starts (RFC 3207 §4.2).
func (s *Session) Capabilities() []Capability {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.c.caps)
}

// mode says what the next typed line will be.
func (s *Session) mode() Mode {
	switch {
	case s.c.phase == PhaseClosed:
		return ModeClosed
	case s.c.phase == PhaseStartTLS:
		return ModeWait
	case s.chunkLeft > 0:
		return ModeChunk
	}
	for _, p := range s.pending {
		if p.kind == kindAuthReply || (p.kind == kindCommand && blocks(p.cmd.Verb)) {
			return ModeWait
		}
	}
	switch {
	case s.c.phase == PhaseData && !s.c.msg.dotSent:
		return ModeContent
	case s.c.phase == PhaseAuth:
		return ModeAuthResponse
	}
	return ModeCommand
}

// blocks reports whether nothing may follow the verb until its reply has
// come: what comes next depends on the reply (PROTOCOL.md: STARTTLS, DATA
// and AUTH end their frame, and later frames get reply_pending).
func blocks(verb string) bool {
	return verb == "STARTTLS" || verb == "DATA" || verb == "AUTH"
}

func (s *Session) now() time.Time { return s.opt.Now() }

func (s *Session) sinceStart(t time.Time) int64 { return t.Sub(s.start).Milliseconds() }
