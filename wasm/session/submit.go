package session

import (
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Analysis is what a typed line is, what it will do, and what may go wrong:
// the answer of Check, and of Submit with the line committed.
type Analysis struct {
	// Line is the line as typed, secrets masked.
	Line string `json:"line"`
	// Mode is how the line is read: a command, message content, an AUTH
	// answer or BDAT chunk data.
	Mode Mode `json:"mode"`
	// Command is the parsed command, in command mode (secrets masked).
	Command *Command `json:"command,omitempty"`
	// Header is the header field name a content line starts, e.g. "Subject".
	Header string `json:"header,omitempty"`
	// Title, Explanation and RFC say what the line does.
	Title       phrase.Text `json:"title,omitzero"`
	Explanation phrase.Text `json:"explanation"`
	RFC         string      `json:"rfc,omitempty"`
	// Warnings predict trouble; the line may be sent anyway.
	Warnings []Warning `json:"warnings,omitempty"`
	// NeedsConfirm is true when the line would carry credentials in the
	// clear to a real server: Submit refuses it, SubmitConfirmed sends it.
	NeedsConfirm bool `json:"needs_confirm,omitempty"`
	// Breaks is true when a content line would break the message (a line
	// that is not a header field before the empty line, a second Subject:):
	// the console holds it like a predicted error. Fix, when set, is what
	// to send instead.
	Breaks bool `json:"breaks,omitempty"`
	Fix    *Fix `json:"fix,omitempty"`
	// Secret is true when the line carries credentials: the view masks it.
	Secret bool `json:"secret,omitempty"`
	// Shown is the line as it goes on the wire, without CRLF: dot-stuffing
	// visible, secrets masked.
	Shown string `json:"shown"`
	// Stuffed is true when dot-stuffing added a dot (RFC 5321 §4.5.2).
	Stuffed bool `json:"stuffed,omitempty"`
	// EndsData is true for the lone "." that ends the message.
	EndsData bool `json:"ends_data,omitempty"`
	// Send is the exact bytes to write to the tunnel, CRLF-terminated. It is
	// not marshalled, so secrets never reach the page's JSON.
	Send string `json:"-"`
	// Seq is the transcript entry Submit made; 0 from Check.
	Seq int `json:"seq,omitempty"`
	// Error is set when Submit would refuse the line (see the Err values).
	Error phrase.Text `json:"error,omitzero"`
}

// lineBook holds what the analysis of a typed line says it is, by key
// "line.<what>.title" and ".text".
var lineBook = phrase.Table{
	{"line.name", "{name}:"},
	{"line.empty.title", "Empty line"},
	{"line.empty.text", "An empty line is not a command."},
	{"line.dot.title", "A lone dot outside DATA"},
	{"line.dot.text", "A line with a single dot ends a message only after DATA and the server's 354."},
	{"line.unknown.title", "Not an SMTP command"},
	{"line.unknown.text", "{verb} is not a command of RFC 5321 or of a common extension."},
	{"line.header-command.title", "A header line, not a command"},
	{"line.header-command.text", "{name}: is a header field of the message ({rfc}), not an SMTP command. Header lines are typed inside DATA, after the server's 354. (Some tutorials list SUBJECT:, TO: and FROM: among the commands; RFC 5321 has no such commands.)"},
	{"line.end-of-message.title", "End of message"},
	{"line.end-of-message.text", "A line with a single dot ends the message. The server now checks it and answers: 250 means it has taken responsibility for it."},
	{"line.body.title", "Body text"},
	{"line.body.text", "A line of the message body."},
	{"line.end-of-header.title", "End of the header"},
	{"line.end-of-header.text", "The empty line ends the header section; the body follows."},
	{"line.folded.title", "Folded header line"},
	{"line.folded.text", "A line that starts with a space or tab continues the {header}: header above."},
	{"line.header.case", "Field names are case-insensitive: {typed}: is the same as {name}:."},
	{"line.header.matches", "Here it matches the envelope sender, but nothing requires that."},
	{"line.header.custom.title", "{name}: custom header"},
	{"line.header.custom.text", "A private header field; mail programs that do not know it ignore it."},
	{"line.header.other.title", "{name}: header field"},
	{"line.header.other.text", "A header line: a name, a colon, and a value."},
	{"line.stuffed", "Dot-stuffed: the line starts with a dot, so a second dot is sent and the server removes it; otherwise a lone \".\" could end the message early (RFC 5321 §4.5.2)."},
	{"line.chunk.title", "BDAT chunk data"},
	{"line.chunk.text", "Chunk data: this line and its CRLF are {octets} of the {left} octets still due. BDAT has no dot-stuffing and no end marker."},
	{"line.auth.title", "Answer to the server's 334 prompt"},
	{"line.auth.cancel", "A lone * cancels the login; the server answers 501."},
	{"line.auth.answer", "Your answer to {prompt}, in base64. It carries credentials, so smtplay masks it."},
	{"line.auth.response", "Your response, in base64. It carries credentials, so smtplay masks it."},
}

// explain sets what the line is: its title and explanation.
func (a *Analysis) explain(title, text phrase.Text) {
	a.Title, a.Explanation = title, text
}

// explainMore adds parts to the explanation.
func (a *Analysis) explainMore(parts ...phrase.Text) {
	a.Explanation = phrase.Join(append([]phrase.Text{a.Explanation}, parts...)...)
}

// fail records why Submit refuses the line.
func (a *Analysis) fail(err error) {
	a.Error = phrase.ErrorText(err)
}

// plan is what committing a line does.
type plan struct {
	cmd     Command // unmasked
	kind    string  // pending kind, "" when no reply is expected
	raw     string  // the wire text without CRLF, unmasked
	message message // the message state after a content line
}

// maxFrame is the largest tunnel message (PROTOCOL.md).
const maxFrame = 65536

// Check explains a line without sending it or changing anything.
func (s *Session) Check(line string) Analysis {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, _, _ := s.analyze(line)
	return a
}

// Submit commits a line the person typed: it returns the exact bytes to
// send (Analysis.Send), records the line in the transcript and, if a reply
// is due, queues the line to be matched with it. A line that needs
// confirmation (credentials in the clear to a real server) is refused with
// ErrNeedsConfirm; the other errors mean the line cannot be sent now.
func (s *Session) Submit(line string) (Analysis, error) {
	return s.submit(line, false)
}

// SubmitConfirmed is Submit for a line the person confirmed after
// Analysis.NeedsConfirm: it sends credentials in the clear. For AUTH, the
// confirmation holds for the answers of that exchange too.
func (s *Session) SubmitConfirmed(line string) (Analysis, error) {
	return s.submit(line, true)
}

func (s *Session) submit(line string, confirmed bool) (Analysis, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, p, err := s.analyze(line)
	if err == nil && a.NeedsConfirm && !confirmed {
		err = ErrNeedsConfirm
		a.fail(err)
	}
	if err != nil {
		return a, err
	}
	before := s.c.phase
	e := s.record(Entry{Dir: DirClient, Text: phrase.Plain(a.Shown), Secret: a.Secret, TLS: s.c.tls,
		Before: before, After: before, Explanation: a.Explanation, Warnings: a.Warnings}, p.raw)
	a.Seq = e.Seq
	s.quietSince = false
	if p.kind != "" {
		s.pending = append(s.pending, pending{kind: p.kind, cmd: p.cmd, shown: a.Shown, seq: e.Seq, at: e.Time,
			predicted: predictions(a.Warnings)})
	}
	switch a.Mode {
	case ModeContent:
		s.c.msg = p.message
	case ModeChunk:
		s.chunkLeft = max(0, s.chunkLeft-int64(len(a.Send)))
	case ModeAuthResponse:
	case ModeCommand:
		switch p.cmd.Verb {
		case "AUTH":
			s.authConfirm, s.authMech, s.lastPrompt = confirmed, p.cmd.Mechanism, ""
		case "BDAT":
			s.chunkLeft = p.cmd.ChunkSize
		}
	}
	return a, nil
}

// analyze reads a line in the current mode. The error says why Submit
// cannot send it now.
func (s *Session) analyze(line string) (Analysis, plan, error) {
	a := Analysis{Line: line, Shown: line}
	fail := func(err error) (Analysis, plan, error) {
		a.fail(err)
		if a.Mode == ModeAuthResponse {
			a.Line, a.Shown, a.Secret = Mask, Mask, true
		}
		return a, plan{}, err
	}
	a.Mode = s.mode()
	switch {
	case a.Mode == ModeClosed:
		return fail(ErrClosed)
	case a.Mode == ModeWait:
		return fail(ErrReplyPending)
	case strings.ContainsAny(line, "\r\n\x00"):
		return fail(ErrBadLine)
	case len(line)+3 > maxFrame: // stuffing may add a dot
		return fail(ErrTooLong)
	}
	var p plan
	switch a.Mode {
	case ModeContent:
		p = s.analyzeContent(&a, line)
	case ModeAuthResponse:
		p = s.analyzeAuthResponse(&a, line)
	case ModeChunk:
		p = s.analyzeChunk(&a, line)
	default:
		p = s.analyzeCommand(&a, line)
	}
	a.Send = p.raw + "\r\n"
	return a, p, nil
}
