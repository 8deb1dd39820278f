package session

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
)

// maxPartial bounds a server line kept waiting for its LF; past it the piece
// is taken as a line of its own.
const maxPartial = 64 << 10

// Receive takes what the tunnel delivered from the server: normally one line
// with its own line ending, byte for byte (PROTOCOL.md). A piece without LF
// (a line longer than 8 KiB arrives in pieces) is kept until the rest comes;
// several lines at once are taken one by one. It returns what happened, in
// order: each line, each complete reply, state changes, capabilities learned,
// 334 prompts decoded, warnings.
func (s *Session) Receive(b []byte) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := append(s.partial, b...)
	s.partial = nil
	var evs []Event
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		evs = append(evs, s.receiveLine(data[:i+1])...)
		data = data[i+1:]
	}
	if len(data) > maxPartial {
		evs = append(evs, s.receiveLine(data)...)
		data = nil
	}
	s.partial = slices.Clone(data)
	return evs
}

// receiveLine handles one complete server line.
func (s *Session) receiveLine(raw []byte) []Event {
	rl, err := ParseReplyLine(raw)
	text := string(bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte("\n")), []byte("\r")))
	e := Entry{Dir: DirServer, Time: s.now(), Text: text, Ending: rl.Ending, TLS: s.c.tls, Before: s.c.phase, After: s.c.phase, Code: rl.Code}
	var w warnings
	if rl.Ending == EndingLF {
		w.add(WarnBareLF, "RFC 5321 §2.3.8", "", "This line ends in a bare LF; SMTP lines end in CRLF.")
	}
	if err != nil {
		e.Code = 0
		e.Explanation = "Not a reply line: " + err.Error()
		w.add(WarnMalformedReply, "RFC 5321 §4.2", "", "The server sent a line that is not an SMTP reply: "+err.Error())
		return s.lineEvents(e, w, nil)
	}
	if len(s.group) > 0 && s.group[0].Code != rl.Code {
		w.add(WarnMixedCodes, "RFC 5321 §4.2.1", "", "The lines of one reply should all have the same code; this one has "+strconv.Itoa(rl.Code)+" after "+strconv.Itoa(s.group[0].Code)+".")
	}
	s.group = append(s.group, rl)
	var head *pending
	if len(s.pending) > 0 {
		head = &s.pending[0]
	}
	lateCaps := head == nil && s.lateCapabilities(rl.Code)
	if (head != nil && head.to() == "EHLO" && len(s.group) > 1) || lateCaps {
		e.Explanation = ParseCapability(rl.Text).Explanation
	}
	if !rl.Final {
		if e.Explanation == "" {
			r := Reply{Code: rl.Code}
			r.explainReply()
			e.Explanation = strconv.Itoa(rl.Code) + " " + r.Title + " (more lines follow)."
		}
		return s.lineEvents(e, w, nil)
	}
	group := s.group
	s.group = nil
	return s.complete(e, w, group, lateCaps)
}

// lateCapabilities reports whether an unsolicited reply is most likely the
// rest of an EHLO reply that ended too early, as in the second seed: "250
// DSN" then "250-X-RCPTLIMIT 25" ... "250 HELP".
func (s *Session) lateCapabilities(code int) bool {
	return code == 250 && s.lastTo == "EHLO" && s.quietSince && s.c.extended
}

// complete handles the last line of a reply: it matches the reply to the
// oldest pending line, advances the state, and explains.
func (s *Session) complete(e Entry, w warnings, group []ReplyLine, lateCaps bool) []Event {
	last := group[len(group)-1]
	r := Reply{Code: last.Code, Enhanced: group[0].Enhanced}
	if r.Enhanced == "" {
		r.Enhanced = last.Enhanced
	}
	for _, l := range group {
		r.Lines = append(r.Lines, l.Text)
	}
	r.explainReply()
	before := s.c.phase
	var extra []Event

	if len(s.pending) == 0 {
		switch {
		case r.Code == 421 && s.c.phase != PhaseClosed:
			advance(&s.c, pending{}, 421, nil)
			r.Note = "The server is closing the connection. It may send 421 at any moment (RFC 5321 §3.8)."
		case lateCaps:
			for _, l := range r.Lines {
				s.c.caps = append(s.c.caps, ParseCapability(l))
			}
			w.add(WarnLateCapabilities, "RFC 5321 §4.2.1", "", "These lines came after the EHLO reply had ended (its last line had a space after 250, not a hyphen). smtplay reads them as more capabilities; a strict client would take them as the answer to its next command.")
			extra = append(extra, Event{Kind: EventCapabilities, Capabilities: slices.Clone(s.c.caps)})
			r.Note = "More EHLO lines, arriving after the reply had ended."
		default:
			w.add(WarnUnsolicited, "RFC 5321 §4.2", "", "No command was waiting for this reply. Replies are matched to commands in order, so an extra one would be taken as the answer to the next command.")
		}
	} else {
		p := s.pending[0]
		s.pending = s.pending[1:]
		r.To, r.Answers = p.to(), p.shown
		r.LapseMS = e.Time.Sub(p.at).Milliseconds()
		advance(&s.c, p, r.Code, r.Lines)
		extra = s.afterReply(p, &r)
	}
	s.lastTo = r.To
	s.quietSince = true
	e.Final, e.LapseMS, e.After, e.Answers = true, r.LapseMS, s.c.phase, r.To
	if e.Explanation == "" {
		e.Explanation = strconv.Itoa(r.Code) + " " + r.Title + ". " + r.Note
	}
	evs := s.lineEvents(e, w, &r)
	evs = append(evs, extra...)
	if s.c.phase != before {
		evs = append(evs, Event{Kind: EventState, From: before, To: s.c.phase, Text: s.c.phase.Explain()})
	}
	return evs
}

// afterReply does what a reply means beyond the state machine: capabilities
// learned, 334 prompts decoded, AUTH ended; and writes the reply's note.
func (s *Session) afterReply(p pending, r *Reply) []Event {
	var evs []Event
	switch {
	case r.Code == 334:
		pr := DecodePrompt(strings.Join(r.Lines, ""), s.authMech)
		s.lastPrompt = pr.Decoded
		r.Note = pr.Explanation + " " + pr.Hint
		evs = append(evs, Event{Kind: EventPrompt, Prompt: &pr})
	case p.to() == "AUTH" || p.kind == kindAuthReply:
		s.authConfirm, s.authMech, s.lastPrompt = false, "", ""
	}
	if p.to() == "EHLO" && r.Code == 250 {
		evs = append(evs, Event{Kind: EventCapabilities, Capabilities: slices.Clone(s.c.caps)})
	}
	if r.Note == "" {
		r.Note = replyNote(p, *r)
	}
	return evs
}

// lineEvents records the line and returns its events.
func (s *Session) lineEvents(e Entry, w warnings, r *Reply) []Event {
	e.Warnings = w
	e = s.record(e, "")
	evs := []Event{{Kind: EventLine, Entry: &e}}
	if r != nil {
		evs = append(evs, Event{Kind: EventReply, Reply: r})
	}
	for i := range w {
		evs = append(evs, Event{Kind: EventWarning, Warning: &w[i]})
	}
	return evs
}

// replyNote says what a reply means at this point of the conversation.
func replyNote(p pending, r Reply) string {
	ok := r.Code >= 200 && r.Code < 300
	switch to := p.to(); {
	case r.Code == 421:
		return "The server is closing the connection; try again later."
	case to == kindGreeting && r.Code == 220:
		return "The server is ready. Introduce yourself: EHLO <your-domain>."
	case to == kindGreeting && r.Code == 554:
		return "The server will not talk to you here: it answers 503 to everything but QUIT (RFC 5321 §3.1)."
	case to == "EHLO" && ok:
		return "The first line names the server; each line after it is an extension it offers."
	case (to == "EHLO" || to == "HELO") && ok:
		return "The session is open, without extensions (HELO)."
	case (to == "EHLO" || to == "HELO") && p.cmd.Domain == "":
		return to + " needs your domain: try " + to + " localhost. RFC 5321 expects 501 (syntax error in arguments); this server said " + strconv.Itoa(r.Code) + "."
	case to == "EHLO" || to == "HELO":
		return "The server refused " + to + ". Very old servers only know HELO."
	case to == "AUTH" || to == kindAuthReply:
		switch r.Code {
		case 235:
			return "You are logged in."
		case 535:
			return "Wrong user name or password, or the base64 did not encode what you meant (echo adds a newline unless you use echo -n)."
		case 501:
			return "The login was cancelled, or an answer was not valid base64."
		case 504:
			return "The server does not offer this mechanism: pick one from its AUTH line."
		case 530, 538:
			return "Send STARTTLS (and EHLO again) before logging in."
		}
	case r.Code == 530:
		if strings.Contains(strings.ToUpper(strings.Join(r.Lines, " ")), "STARTTLS") {
			return "Send STARTTLS first, then EHLO again."
		}
		return "Log in first: AUTH."
	case to == "MAIL" && ok:
		return "The sender is accepted. Now RCPT TO:<...> for each recipient."
	case to == "RCPT" && ok:
		return "This recipient is accepted. Add more, or DATA."
	case to == "RCPT":
		return "This recipient is refused; the others stay. If none is accepted, DATA will fail."
	case to == "DATA" && r.Code == 354:
		return "Type the message: header lines, an empty line, the body, then a line with a single dot."
	case to == kindEndOfData && ok:
		return "The server has taken the message: from now on delivering it is its job (RFC 5321 §6.1)."
	case to == kindEndOfData:
		return "The message was not accepted. The transaction is over; start again with MAIL FROM."
	case to == "STARTTLS" && r.Code == 220:
		return "The TLS handshake starts now; smtplay's proxy does it for you."
	case to == "QUIT":
		return "Goodbye: the server closes the connection."
	case to == "RSET" && ok:
		return "The transaction is forgotten."
	case r.Code == 503:
		return "Out of order: this command is valid, but not at this point."
	case r.Code == 500 || r.Code == 502:
		return "The server does not know or support this command."
	}
	return ""
}
