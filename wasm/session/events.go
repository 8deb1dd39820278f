package session

import (
	"slices"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// EventKind says what an Event reports.
type EventKind string

// The kinds of events.
const (
	EventLine         EventKind = "line"         // a server line arrived (Entry)
	EventReply        EventKind = "reply"        // a reply is complete (Reply)
	EventState        EventKind = "state"        // the phase changed (From, To)
	EventCapabilities EventKind = "capabilities" // the capabilities changed (Capabilities; empty: forgotten)
	EventPrompt       EventKind = "prompt"       // a 334 challenge, decoded (Prompt)
	EventWarning      EventKind = "warning"      // something to look at (Warning)
	EventTLS          EventKind = "tls"          // TLS is up (Text)
	EventRefused      EventKind = "refused"      // the proxy refused a line (Entry, Warning)
	EventClosed       EventKind = "closed"       // the connection is over (Text)
)

// Event is one thing that happened, for the view to draw. Only the fields of
// its Kind are set.
type Event struct {
	// Kind says which of the other fields are set.
	Kind EventKind `json:"kind"`
	// Entry is the transcript entry of a line, TLS, refused or closed event.
	Entry *Entry `json:"entry,omitempty"`
	// Reply is the complete reply of a reply event.
	Reply *Reply `json:"reply,omitempty"`
	// From and To are the phases of a state event.
	From Phase `json:"from,omitempty"`
	To   Phase `json:"to,omitempty"`
	// Capabilities are all the server's capabilities now.
	Capabilities []Capability `json:"capabilities,omitempty"`
	// Prompt is the decoded 334 challenge of a prompt event.
	Prompt *Prompt `json:"prompt,omitempty"`
	// Warning is set on warning and refused events.
	Warning *Warning `json:"warning,omitempty"`
	// Text is a sentence for people.
	Text phrase.Text `json:"text,omitzero"`
}

// eventBook holds the sentences of events.
var eventBook = phrase.Table{
	// TLSStarted: "TLS is up: TLS 1.3, TLS_AES_128_GCM_SHA256, server name
	// mail.example.org, certificate verified."; each part brings its comma.
	{"event.tls.up", "TLS is up: {version},"},
	{"event.tls.implicit", "TLS is up from the first byte (implicit TLS): {version},"},
	{"event.tls.cipher", "{cipher},"},
	{"event.tls.server-name", "server name {name},"},
	{"event.tls.verified", "certificate verified."},
	{"event.tls.not-verified", "certificate NOT verified."},
	{"event.tls.forget", "Everything learned before TLS is forgotten: send EHLO again."},
	{"event.caps-forgotten", "The capabilities are forgotten until the next EHLO (RFC 3207 §4.2)."},
	// Closed. The English is "Connection closed by server: <reason>
	// (without a 221 goodbye)."; other languages say it in sentences.
	{"event.closed.server", "The server closed the connection."},
	{"event.closed.server-no-goodbye", "The server closed the connection without a 221 goodbye."},
	{"event.closed.client", "You closed the connection."},
	{"event.closed.proxy", "The proxy closed the connection."},
	{"event.closed.by", "Connection closed by {by}."},
	{"event.closed.reason", "Reason given: {reason}"},
	// Before a reason said in phrases of its own (the proxy's sentence).
	{"event.closed.reason-lead", "Reason given:"},
	// Refused: "refused (not_supported): BDAT 7 LAST (the proxy's message)".
	{"event.refused", "refused ({code})"},
	{"event.refused.line", "refused ({code}): {line}"},
	{"event.refused.message", "({message})"},
}

// stateEvent reports a change of phase, with what the new one means.
func stateEvent(from, to Phase) Event {
	t := to.explained()
	return Event{Kind: EventState, From: from, To: to, Text: t}
}

// TLSInfo is what the proxy reports when TLS is up (PROTOCOL.md "tls").
type TLSInfo struct {
	// Version is the protocol version, e.g. "TLS 1.3".
	Version string `json:"version"`
	// Cipher is the cipher suite's name.
	Cipher string `json:"cipher"`
	// ServerName is the name the certificate was checked against (SNI).
	ServerName string `json:"server_name"`
	// Verified is true when the certificate chain verified; VerifyError
	// says why not otherwise.
	Verified    bool   `json:"verified"`
	VerifyError string `json:"verify_error,omitempty"`
	// Discarded is the number of plaintext bytes the server sent after its
	// 220 to STARTTLS; the proxy drops them.
	Discarded int `json:"discarded"`
}

// TLSStarted records that TLS is up. After STARTTLS both sides forget what
// they learned (RFC 3207 §4.2): the capabilities, the EHLO, the login; the
// client must send EHLO again. Called before the greeting, it records
// implicit TLS (port 465, RFC 8314 §3), where nothing is forgotten.
func (s *Session) TLSStarted(info TLSInfo) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.c.phase
	if before == PhaseClosed {
		return nil
	}
	implicit := before == PhaseGreeting
	s.c.tls = true
	text := say("event.tls.up", "version", info.Version)
	if implicit {
		text = say("event.tls.implicit", "version", info.Version)
	}
	if info.Cipher != "" {
		text = phrase.Join(text, say("event.tls.cipher", "cipher", info.Cipher))
	}
	if info.ServerName != "" {
		text = phrase.Join(text, say("event.tls.server-name", "name", info.ServerName))
	}
	if info.Verified {
		text = phrase.Join(text, say("event.tls.verified"))
	} else {
		text = phrase.Join(text, say("event.tls.not-verified"))
	}
	var w warnings
	if !info.Verified {
		w.add(WarnTLSUnverified, "RFC 3207 §4.1", "", say("warn.tls-unverified", "reason", info.VerifyError))
	}
	if info.Discarded > 0 {
		w.add(WarnPlaintextInject, "RFC 3207 §4.2", "", say("warn.plaintext-injection", "bytes", strconv.Itoa(info.Discarded)))
	}
	if !implicit {
		s.c.hello, s.c.extended, s.c.authed, s.c.restarted = false, false, false, true
		s.c.caps, s.c.capsKnown = nil, false
		s.c.resetTransaction()
		s.c.phase = PhaseTLS
		text = phrase.Join(text, say("event.tls.forget"))
	}
	e := s.record(Entry{Dir: DirEvent, Text: text, TLS: true, Before: before, After: s.c.phase, Warnings: w}, "")
	evs := []Event{{Kind: EventTLS, Entry: &e, Text: e.Text}}
	if !implicit {
		forgotten := say("event.caps-forgotten")
		evs = append(evs, Event{Kind: EventCapabilities, Text: forgotten})
	}
	if before != s.c.phase {
		evs = append(evs, stateEvent(before, s.c.phase))
	}
	for i := range w {
		evs = append(evs, Event{Kind: EventWarning, Warning: &w[i]})
	}
	return evs
}

// Closed records the end of the connection, as the proxy reports it: by is
// "server", "client" or "proxy", reason the proxy's sentence (its English,
// and the phrases that say it when the caller knows them). It warns about
// what was lost: a message being typed, commands never answered.
func (s *Session) Closed(by string, reason phrase.Text) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c.phase == PhaseClosed {
		return nil
	}
	var evs []Event
	if len(s.partial) > 0 {
		piece := s.partial
		s.partial = nil
		evs = s.receiveLine(piece)
	}
	var w warnings
	var unanswered []string
	dotPending := false
	for _, p := range s.pending {
		if p.to() != "QUIT" { // a server may close right after QUIT
			unanswered = append(unanswered, p.shown)
		}
		dotPending = dotPending || p.kind == kindEndOfData
	}
	before := s.c.phase
	switch {
	case s.c.phase == PhaseData && !s.c.msg.dotSent:
		w.add(WarnClosedMidData, "RFC 5321 §4.1.1.4", "", say("warn.closed-mid-data"))
	case before == PhaseGreeting:
		w.add(WarnClosedNoReply, "RFC 5321 §3.1", "", say("warn.closed-before-greeting"))
	case dotPending:
		w.add(WarnClosedNoReply, "RFC 1047", "", say("warn.closed-before-dot-reply"))
	case len(unanswered) > 0 && s.c.phase != PhaseClosing:
		w.add(WarnClosedNoReply, "RFC 5321 §4.2", "", say("warn.closed-unanswered", "lines", strings.Join(unanswered, ", ")))
	}
	text := closedText(by, reason, before != PhaseClosing && by == "server")
	s.c.phase = PhaseClosed
	s.pending, s.group, s.chunkLeft = nil, nil, 0
	e := s.record(Entry{Dir: DirEvent, Text: text, TLS: s.c.tls, Before: before, After: PhaseClosed, Warnings: w}, "")
	evs = append(evs, Event{Kind: EventClosed, Entry: &e, Text: e.Text}, stateEvent(before, PhaseClosed))
	for i := range w {
		evs = append(evs, Event{Kind: EventWarning, Warning: &w[i]})
	}
	return evs
}

// Refused records that the proxy refused a line instead of sending it
// (PROTOCOL.md error codes: not_supported for BDAT, not_allowed for AUTH in
// the clear, and the frame errors). The line never reached the server, so it
// is taken off the lines waiting for a reply; replies keep matching. message
// is the proxy's sentence (its English, and the phrases that say it when the
// caller knows them).
func (s *Session) Refused(code string, message phrase.Text) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := ""
	switch code {
	case "not_supported":
		want = "BDAT"
	case "not_allowed":
		want = "AUTH"
	}
	idx := -1
	for i := len(s.pending) - 1; i >= 0; i-- {
		p := s.pending[i]
		if p.kind != kindGreeting && (want == "" || p.to() == want) {
			idx = i
			break
		}
	}
	shown := ""
	if idx >= 0 {
		p := s.pending[idx]
		shown = p.shown
		s.pending = slices.Delete(s.pending, idx, idx+1)
		switch p.to() {
		case "BDAT":
			s.chunkLeft = 0
		case "AUTH":
			s.authConfirm, s.authMech = false, ""
		}
	}
	var msg phrase.Text
	switch code {
	case "not_supported":
		msg = say("warn.refused-bdat")
	case "not_allowed":
		msg = say("warn.refused-auth")
	default:
		msg = say("warn.refused", "code", code, "message", message.English)
		if len(message.Phrases) > 0 {
			msg = phrase.Worded(msg.English, say("warn.refused-lead", "code", code), message)
		}
	}
	w := Warning{Code: WarnRefused, Message: msg}
	text := say("event.refused", "code", code)
	if shown != "" {
		text = say("event.refused.line", "code", code, "line", shown)
	}
	if message.English != "" {
		why := say("event.refused.message", "message", message.English)
		if len(message.Phrases) > 0 {
			why = phrase.Worded(why.English, message)
		}
		text = phrase.Join(text, why)
	}
	e := s.record(Entry{Dir: DirRefused, Text: text, TLS: s.c.tls, Before: s.c.phase, After: s.c.phase, Warnings: []Warning{w}}, "")
	return []Event{{Kind: EventRefused, Entry: &e, Warning: &w, Text: msg}}
}

// closedText says who closed the connection and why: "Connection closed by
// server: reason (without a 221 goodbye)." noGoodbye is for a server that
// closed without answering QUIT.
func closedText(by string, reason phrase.Text, noGoodbye bool) phrase.Text {
	english := "Connection closed by " + by
	if reason.English != "" {
		english += ": " + reason.English
	}
	if noGoodbye {
		english += " (without a 221 goodbye)"
	}
	var who phrase.Text
	switch {
	case by == "server" && noGoodbye:
		who = say("event.closed.server-no-goodbye")
	case by == "server":
		who = say("event.closed.server")
	case by == "client":
		who = say("event.closed.client")
	case by == "proxy":
		who = say("event.closed.proxy")
	default:
		who = say("event.closed.by", "by", by)
	}
	var why phrase.Text
	switch {
	case len(reason.Phrases) > 0:
		why = phrase.Join(say("event.closed.reason-lead"), reason)
	case reason.English != "":
		why = say("event.closed.reason", "reason", reason.English)
	}
	return phrase.Worded(english+".", who, why)
}
