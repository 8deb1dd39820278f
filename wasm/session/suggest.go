package session

import (
	"strings"
)

// Suggestion is a sensible next line, for buttons and Tab completion.
type Suggestion struct {
	// Line is what to type. When Template is true it holds placeholders in
	// angle brackets or example addresses to replace.
	Line string `json:"line"`
	// Why says what it does, in a few words.
	Why string `json:"why"`
	// Template is true when Line must be edited before it is sent.
	Template bool `json:"template,omitempty"`
}

// Suggestions lists sensible next lines for the current state, most useful
// first. It assumes the lines already sent will succeed, so a person who
// pipelines gets suggestions for after them. Nothing is suggested while a
// reply must be awaited or after the end.
func (s *Session) Suggestions() []Suggestion {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.mode() {
	case ModeContent:
		return s.contentSuggestions()
	case ModeAuthResponse:
		hint := "<base64 of your answer>"
		switch strings.ToLower(s.lastPrompt) {
		case "username:":
			hint = "<base64 of your user name>"
		case "password:":
			hint = "<base64 of your password>"
		}
		return []Suggestion{{Line: hint, Why: "answer the prompt", Template: true}, {Line: "*", Why: "cancel the login"}}
	case ModeCommand:
	default:
		return nil
	}
	pr := s.projected()
	hello := "EHLO " + s.opt.HelloName
	var out []Suggestion
	add := func(line, why string, template bool) { out = append(out, Suggestion{line, why, template}) }
	switch {
	case s.c.phase == PhaseGreeting || pr.phase == PhaseClosing || pr.phase == PhaseStartTLS:
		return nil
	case pr.noService:
		add("QUIT", "the server offers no service: leave", false)
		return out
	}
	switch pr.phase {
	case PhaseGreeted, PhaseTLS:
		add(hello, "introduce yourself and ask for the extensions", false)
		add("HELO "+s.opt.HelloName, "introduce yourself, plain SMTP", false)
	case PhaseReady, PhaseAuthenticated:
		if pr.caps.has("STARTTLS") && !pr.tls {
			add("STARTTLS", "encrypt the connection first", false)
		}
		if pr.caps.has("AUTH") && !pr.authed {
			for _, m := range preferredMechanisms(pr.caps.mechanisms()) {
				add("AUTH "+m, "log in with "+m, false)
			}
		}
		add("MAIL FROM:<you@example.org>", "start a message: the envelope sender", true)
		add("NOOP", "check the connection is alive", false)
		if pr.caps.has("HELP") {
			add("HELP", "ask the server for help", false)
		}
		add("QUIT", "end the session", false)
	case PhaseMail:
		add("RCPT TO:<friend@example.org>", "add a recipient", true)
		add("RSET", "abandon this message", false)
	case PhaseRcpt:
		add("DATA", "send the message", false)
		add("RCPT TO:<another@example.org>", "add another recipient", true)
		add("RSET", "abandon this message", false)
	case PhaseBDAT:
		add("BDAT 0 LAST", "end the chunked message", false)
		add("RSET", "abandon this message", false)
	}
	return out
}

// preferredMechanisms orders offered mechanisms for a learner: PLAIN and
// LOGIN first (what the seeds teach), then the rest.
func preferredMechanisms(offered []string) []string {
	var out, rest []string
	for _, m := range []string{"PLAIN", "LOGIN"} {
		if contains(offered, m) {
			out = append(out, m)
		}
	}
	for _, m := range offered {
		if m != "PLAIN" && m != "LOGIN" && !contains(out, m) && !contains(rest, m) {
			rest = append(rest, m)
		}
	}
	return append(out, rest...)
}

// contentSuggestions proposes the header lines still missing, the empty
// line, and the final dot.
func (s *Session) contentSuggestions() []Suggestion {
	m := s.c.msg
	var out []Suggestion
	if !m.inBody {
		from := "From: <" + s.c.mailFrom + ">"
		to := "To: <friend@example.org>"
		if len(s.c.rcpts) > 0 {
			to = "To: <" + s.c.rcpts[0] + ">"
		}
		for _, h := range []Suggestion{
			{Line: from, Why: "the author the reader sees", Template: s.c.mailFrom == ""},
			{Line: to, Why: "the recipient the reader sees"},
			{Line: "Subject: Hello from smtplay", Why: "the subject line", Template: true},
			{Line: "Date: " + s.now().Format("Mon, 02 Jan 2006 15:04:05 -0700"), Why: "when it was written (required)"},
			{Line: "MIME-Version: 1.0", Why: "say the message uses MIME"},
			{Line: "Content-Type: text/plain; charset=utf-8", Why: "plain text in UTF-8"},
		} {
			name, _ := headerName(h.Line)
			if _, ok := m.headers[strings.ToLower(name)]; !ok {
				out = append(out, h)
			}
		}
		out = append(out, Suggestion{Line: "", Why: "an empty line ends the header; the body follows"})
	}
	return append(out, Suggestion{Line: ".", Why: "a lone dot ends the message"})
}
