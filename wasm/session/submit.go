package session

import "strings"

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
	Title       string `json:"title,omitempty"`
	Explanation string `json:"explanation"`
	RFC         string `json:"rfc,omitempty"`
	// Warnings predict trouble; the line may be sent anyway.
	Warnings []Warning `json:"warnings,omitempty"`
	// NeedsConfirm is true when the line would carry credentials in the
	// clear to a real server: Submit refuses it, SubmitConfirmed sends it.
	NeedsConfirm bool `json:"needs_confirm,omitempty"`
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
	Error string `json:"error,omitempty"`
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
		a.Error = err.Error()
	}
	if err != nil {
		return a, err
	}
	before := s.c.phase
	e := s.record(Entry{Dir: DirClient, Text: a.Shown, Secret: a.Secret, TLS: s.c.tls,
		Before: before, After: before, Explanation: a.Explanation, Warnings: a.Warnings}, p.raw)
	a.Seq = e.Seq
	s.quietSince = false
	if p.kind != "" {
		s.pending = append(s.pending, pending{kind: p.kind, cmd: p.cmd, shown: a.Shown, at: e.Time})
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
		a.Error = err.Error()
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
