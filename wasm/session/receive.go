package session

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
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
	e := Entry{Dir: DirServer, Time: s.now(), Text: phrase.Plain(text), Ending: rl.Ending, TLS: s.c.tls, Before: s.c.phase, After: s.c.phase, Code: rl.Code}
	var w warnings
	if rl.Ending == EndingLF {
		w.add(WarnBareLF, "RFC 5321 §2.3.8", "", say("warn.bare-lf"))
	}
	if err != nil {
		why := err.(*phrase.Error).Text
		e.Code = 0
		e.Explanation = phrase.Join(say("server.not-reply"), why)
		w.add(WarnMalformedReply, "RFC 5321 §4.2", "", phrase.Join(say("warn.malformed-reply"), why))
		return s.lineEvents(e, w, nil)
	}
	if len(s.group) > 0 && s.group[0].Code != rl.Code {
		w.add(WarnMixedCodes, "RFC 5321 §4.2.1", "", say("warn.mixed-codes", "code", strconv.Itoa(rl.Code), "first", strconv.Itoa(s.group[0].Code)))
	}
	s.group = append(s.group, rl)
	var head *pending
	if len(s.pending) > 0 {
		head = &s.pending[0]
	}
	lateCaps := head == nil && s.lateCapabilities(rl.Code)
	if (head != nil && head.to() == "EHLO" && len(s.group) > 1) || lateCaps {
		c := ParseCapability(rl.Text)
		e.Explanation = c.Explanation
	}
	if !rl.Final {
		if e.Explanation.IsZero() {
			r := Reply{Code: rl.Code}
			r.explainReply()
			e.Explanation = phrase.Join(say("server.code", "code", strconv.Itoa(rl.Code)), r.Title, say("server.more"))
		}
		return s.lineEvents(e, w, nil)
	}
	group := s.group
	s.group = nil
	return s.complete(e, w, group, lateCaps)
}

// lateCapabilities reports whether an unsolicited reply is most likely the
// rest of an EHLO reply that ended too early, as Yandex's once did: "250
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
			r.Note = say("note.closing-any-time")
		case lateCaps:
			for _, l := range r.Lines {
				s.c.caps = append(s.c.caps, ParseCapability(l))
			}
			w.add(WarnLateCapabilities, "RFC 5321 §4.2.1", "", say("warn.late-capabilities"))
			extra = append(extra, Event{Kind: EventCapabilities, Capabilities: slices.Clone(s.c.caps)})
			r.Note = say("note.late-capabilities")
		default:
			w.add(WarnUnsolicited, "RFC 5321 §4.2", "", say("warn.unsolicited-reply"))
		}
	} else {
		p := s.pending[0]
		e.AnswersSeq = p.seq
		s.pending = s.pending[1:]
		r.To, r.Answers = p.to(), p.shown
		r.LapseMS = e.Time.Sub(p.at).Milliseconds()
		advance(&s.c, p, r.Code, r.Lines)
		extra = s.afterReply(p, &r)
		if r.Prediction = outcome(p.predicted, r.Code); r.Prediction != nil {
			r.Note = phrase.Join(r.Prediction.Note, r.Note)
		}
	}
	s.lastTo = r.To
	s.quietSince = true
	e.Final, e.LapseMS, e.After, e.Answers = true, r.LapseMS, s.c.phase, r.To
	if e.Explanation.IsZero() {
		// Other languages say the title, then the code: "Title (250). Note".
		e.Explanation = phrase.Worded(strconv.Itoa(r.Code)+" "+r.Title.English+". "+r.Note.English,
			r.Title, say("server.reply", "code", strconv.Itoa(r.Code)), r.Note)
	}
	evs := s.lineEvents(e, w, &r)
	evs = append(evs, extra...)
	if s.c.phase != before {
		evs = append(evs, stateEvent(before, s.c.phase))
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
		r.Note = phrase.Join(pr.Explanation, pr.Hint)
		evs = append(evs, Event{Kind: EventPrompt, Prompt: &pr})
	case p.to() == "AUTH" || p.kind == kindAuthReply:
		s.authConfirm, s.authMech, s.lastPrompt = false, "", ""
	case p.to() == "BDAT" && r.Code >= 400:
		// A server that refuses BDAT (or does not know it) reads no
		// chunk: what follows is commands again.
		s.chunkLeft = 0
	}
	if p.to() == "EHLO" && r.Code == 250 {
		evs = append(evs, Event{Kind: EventCapabilities, Capabilities: slices.Clone(s.c.caps)})
	}
	if r.Note.IsZero() {
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

// receiveBook holds what the engine says about the server's lines and
// replies: "server.<what>" explains a line, "note.<what>" is a reply's note.
var receiveBook = phrase.Table{
	{"server.not-reply", "Not a reply line:"},
	{"server.code", "{code}"},
	{"server.more", "(more lines follow)."},
	{"server.reply", "({code})."},

	{"note.closing-any-time", "The server is closing the connection. It may send 421 at any moment (RFC 5321 §3.8)."},
	{"note.late-capabilities", "More EHLO lines, arriving after the reply had ended."},
	{"note.closing", "The server is closing the connection; try again later."},
	{"note.greeting", "The server is ready. Introduce yourself: EHLO <your-domain>."},
	{"note.no-service", "The server will not talk to you here: it answers 503 to everything but QUIT (RFC 5321 §3.1)."},
	{"note.ehlo", "The first line names the server; each line after it is an extension it offers."},
	{"note.helo", "The session is open, without extensions (HELO)."},
	{"note.hello-no-domain", "{verb} needs your domain: try {verb} localhost. RFC 5321 expects 501 (syntax error in arguments); this server said {code}."},
	{"note.hello-refused", "The server refused {verb}. Very old servers only know HELO."},
	{"note.auth-ok", "You are logged in."},
	{"note.auth-failed", "Wrong user name or password, or the base64 did not encode what you meant (echo adds a newline unless you use echo -n)."},
	{"note.auth-cancelled", "The login was cancelled, or an answer was not valid base64."},
	{"note.auth-mechanism", "The server does not offer this mechanism: pick one from its AUTH line."},
	{"note.auth-needs-tls", "Send STARTTLS (and EHLO again) before logging in."},
	{"note.starttls-first", "Send STARTTLS first, then EHLO again."},
	{"note.login-first", "Log in first: AUTH."},
	{"note.mail-ok", "The sender is accepted. Now RCPT TO:<...> for each recipient."},
	{"note.rcpt-ok", "This recipient is accepted. Add more, or DATA."},
	{"note.rcpt-refused", "This recipient is refused; the others stay. If none is accepted, DATA will fail."},
	{"note.data-go", "Type the message: header lines, an empty line, the body, then a line with a single dot."},
	{"note.dot-ok", "The server has taken the message: from now on delivering it is its job (RFC 5321 §6.1)."},
	{"note.dot-refused", "The message was not accepted. The transaction is over; start again with MAIL FROM."},
	{"note.starttls-go", "The TLS handshake starts now; smtplay's proxy does it for you."},
	{"note.quit", "Goodbye: the server closes the connection."},
	{"note.rset", "The transaction is forgotten."},
	{"note.out-of-order", "Out of order: this command is valid, but not at this point."},
	{"note.unknown-command", "The server does not know or support this command."},
}

// replyNote says what a reply means at this point of the conversation.
func replyNote(p pending, r Reply) phrase.Text {
	ok := r.Code >= 200 && r.Code < 300
	switch to := p.to(); {
	case r.Code == 421:
		return say("note.closing")
	case to == kindGreeting && r.Code == 220:
		return say("note.greeting")
	case to == kindGreeting && r.Code == 554:
		return say("note.no-service")
	case to == "EHLO" && ok:
		return say("note.ehlo")
	case (to == "EHLO" || to == "HELO") && ok:
		return say("note.helo")
	case (to == "EHLO" || to == "HELO") && p.cmd.Domain == "":
		return say("note.hello-no-domain", "verb", to, "code", strconv.Itoa(r.Code))
	case to == "EHLO" || to == "HELO":
		return say("note.hello-refused", "verb", to)
	case to == "AUTH" || to == kindAuthReply:
		switch r.Code {
		case 235:
			return say("note.auth-ok")
		case 535:
			return say("note.auth-failed")
		case 501:
			return say("note.auth-cancelled")
		case 504:
			return say("note.auth-mechanism")
		case 530, 538:
			return say("note.auth-needs-tls")
		}
	case r.Code == 530:
		if strings.Contains(strings.ToUpper(strings.Join(r.Lines, " ")), "STARTTLS") {
			return say("note.starttls-first")
		}
		return say("note.login-first")
	case to == "MAIL" && ok:
		return say("note.mail-ok")
	case to == "RCPT" && ok:
		return say("note.rcpt-ok")
	case to == "RCPT":
		return say("note.rcpt-refused")
	case to == "DATA" && r.Code == 354:
		return say("note.data-go")
	case to == kindEndOfData && ok:
		return say("note.dot-ok")
	case to == kindEndOfData:
		return say("note.dot-refused")
	case to == "STARTTLS" && r.Code == 220:
		return say("note.starttls-go")
	case to == "QUIT":
		return say("note.quit")
	case to == "RSET" && ok:
		return say("note.rset")
	case r.Code == 503:
		return say("note.out-of-order")
	case r.Code == 500 || r.Code == 502:
		return say("note.unknown-command")
	}
	return phrase.Text{}
}
