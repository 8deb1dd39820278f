package session

import (
	"slices"
	"strconv"
	"strings"
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
	Text string `json:"text,omitempty"`
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
	var text strings.Builder
	text.WriteString("TLS is up")
	if implicit {
		text.WriteString(" from the first byte (implicit TLS)")
	}
	text.WriteString(": " + info.Version)
	if info.Cipher != "" {
		text.WriteString(", " + info.Cipher)
	}
	if info.ServerName != "" {
		text.WriteString(", server name " + info.ServerName)
	}
	if info.Verified {
		text.WriteString(", certificate verified.")
	} else {
		text.WriteString(", certificate NOT verified.")
	}
	var w warnings
	if !info.Verified {
		w.add(WarnTLSUnverified, "RFC 3207 §4.1", "", "The server's certificate did not verify ("+info.VerifyError+"): the connection is encrypted, but you cannot be sure who is at the other end.")
	}
	if info.Discarded > 0 {
		w.add(WarnPlaintextInject, "RFC 3207 §4.2", "", strconv.Itoa(info.Discarded)+" bytes arrived in plaintext after the 220 to STARTTLS; the proxy dropped them. Someone may have tried to inject commands into the encrypted session.")
	}
	if !implicit {
		s.c.hello, s.c.extended, s.c.authed, s.c.restarted = false, false, false, true
		s.c.caps, s.c.capsKnown = nil, false
		s.c.resetTransaction()
		s.c.phase = PhaseTLS
		text.WriteString(" Everything learned before TLS is forgotten: send EHLO again.")
	}
	e := s.record(Entry{Dir: DirEvent, Text: text.String(), TLS: true, Before: before, After: s.c.phase, Warnings: w}, "")
	evs := []Event{{Kind: EventTLS, Entry: &e, Text: e.Text}}
	if !implicit {
		evs = append(evs, Event{Kind: EventCapabilities, Text: "The capabilities are forgotten until the next EHLO (RFC 3207 §4.2)."})
	}
	if before != s.c.phase {
		evs = append(evs, Event{Kind: EventState, From: before, To: s.c.phase, Text: s.c.phase.Explain()})
	}
	for i := range w {
		evs = append(evs, Event{Kind: EventWarning, Warning: &w[i]})
	}
	return evs
}

// Closed records the end of the connection, as the proxy reports it: by is
// "server", "client" or "proxy". It warns about what was lost: a message
// being typed, commands never answered.
func (s *Session) Closed(by, reason string) []Event {
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
		w.add(WarnClosedMidData, "RFC 5321 §4.1.1.4", "", "The connection closed while the message was being typed: the server did not take it. Only the 250 after the final dot means a message was accepted.")
	case before == PhaseGreeting:
		w.add(WarnClosedNoReply, "RFC 5321 §3.1", "", "The connection closed before the server greeted you.")
	case dotPending:
		w.add(WarnClosedNoReply, "RFC 1047", "", "The connection closed before the server answered the final dot: nobody knows whether it took the message. Sending it again may deliver it twice.")
	case len(unanswered) > 0 && s.c.phase != PhaseClosing:
		w.add(WarnClosedNoReply, "RFC 5321 §4.2", "", "The connection closed with lines unanswered: "+strings.Join(unanswered, ", ")+".")
	}
	text := "Connection closed by " + by
	if reason != "" {
		text += ": " + reason
	}
	if before != PhaseClosing && by == "server" {
		text += " (without a 221 goodbye)"
	}
	s.c.phase = PhaseClosed
	s.pending, s.group, s.chunkLeft = nil, nil, 0
	e := s.record(Entry{Dir: DirEvent, Text: text + ".", TLS: s.c.tls, Before: before, After: PhaseClosed, Warnings: w}, "")
	evs = append(evs, Event{Kind: EventClosed, Entry: &e, Text: e.Text},
		Event{Kind: EventState, From: before, To: PhaseClosed, Text: PhaseClosed.Explain()})
	for i := range w {
		evs = append(evs, Event{Kind: EventWarning, Warning: &w[i]})
	}
	return evs
}

// Refused records that the proxy refused a line instead of sending it
// (PROTOCOL.md error codes: not_supported for BDAT, not_allowed for AUTH in
// the clear, and the frame errors). The line never reached the server, so it
// is taken off the lines waiting for a reply; replies keep matching.
func (s *Session) Refused(code, message string) []Event {
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
	var msg string
	switch code {
	case "not_supported":
		msg = "The playground's tunnel does not carry BDAT; use DATA."
	case "not_allowed":
		msg = "The proxy does not carry AUTH in the clear to this server: send STARTTLS and EHLO first."
	default:
		msg = "The proxy refused the line (" + code + "): " + message
	}
	w := Warning{Code: WarnRefused, Message: msg}
	text := "refused (" + code + ")"
	if shown != "" {
		text += ": " + shown
	}
	if message != "" {
		text += " (" + message + ")"
	}
	e := s.record(Entry{Dir: DirRefused, Text: text, TLS: s.c.tls, Before: s.c.phase, After: s.c.phase, Warnings: []Warning{w}}, "")
	return []Event{{Kind: EventRefused, Entry: &e, Warning: &w, Text: msg}}
}
