package session

import (
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Suggestion is a sensible next line, for buttons and Tab completion.
type Suggestion struct {
	// Line is what to type. When Template is true it holds placeholders in
	// angle brackets or example addresses to replace. A line of words, such
	// as "<base64 of your password>", is in phrases a language file may
	// translate.
	Line phrase.Text `json:"line"`
	// Why says what it does, in a few words.
	Why phrase.Text `json:"why"`
	// Template is true when Line must be edited before it is sent.
	Template bool `json:"template,omitempty"`
}

// suggestBook holds the reasons of the suggestions, "why.<what>", and the
// lines of words to replace, "template.<what>".
var suggestBook = phrase.Table{
	{"template.answer", "<base64 of your answer>"},
	{"template.user-name", "<base64 of your user name>"},
	{"template.password", "<base64 of your password>"},
	{"why.answer-prompt", "answer the prompt"},
	{"why.cancel-login", "cancel the login"},
	{"why.no-service", "the server offers no service: leave"},
	{"why.ehlo", "introduce yourself and ask for the extensions"},
	{"why.helo", "introduce yourself, plain SMTP"},
	{"why.starttls", "encrypt the connection first"},
	{"why.auth", "log in with {mechanism}"},
	{"why.mail", "start a message: the envelope sender"},
	{"why.noop", "check the connection is alive"},
	{"why.help", "ask the server for help"},
	{"why.quit", "end the session"},
	{"why.rcpt", "add a recipient"},
	{"why.rset", "abandon this message"},
	{"why.data", "send the message"},
	{"why.rcpt-another", "add another recipient"},
	{"why.bdat-last", "end the chunked message"},
	{"why.header-from", "the author the reader sees"},
	{"why.header-to", "the recipient the reader sees"},
	{"why.header-subject", "the subject line"},
	{"why.header-date", "when it was written (required)"},
	{"why.header-mime", "say the message uses MIME"},
	{"why.header-type", "plain text in UTF-8"},
	{"why.empty-line", "an empty line ends the header; the body follows"},
	{"why.dot", "a lone dot ends the message"},
}

// suggest is a suggestion of line, for why.
func suggest(line string, why phrase.Text, template bool) Suggestion {
	return Suggestion{Line: phrase.Plain(line), Why: why, Template: template}
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
		hint := say("template.answer")
		switch strings.ToLower(s.lastPrompt) {
		case "username:":
			hint = say("template.user-name")
		case "password:":
			hint = say("template.password")
		}
		answer := Suggestion{Line: hint, Why: say("why.answer-prompt"), Template: true}
		return []Suggestion{answer, suggest("*", say("why.cancel-login"), false)}
	case ModeCommand:
	default:
		return nil
	}
	pr := s.projected()
	hello := "EHLO " + s.opt.HelloName
	var out []Suggestion
	add := func(line string, why phrase.Text, template bool) { out = append(out, suggest(line, why, template)) }
	switch {
	case s.c.phase == PhaseGreeting || pr.phase == PhaseClosing || pr.phase == PhaseStartTLS:
		return nil
	case pr.noService:
		add("QUIT", say("why.no-service"), false)
		return out
	}
	switch pr.phase {
	case PhaseGreeted, PhaseTLS:
		add(hello, say("why.ehlo"), false)
		add("HELO "+s.opt.HelloName, say("why.helo"), false)
	case PhaseReady, PhaseAuthenticated:
		if pr.caps.has("STARTTLS") && !pr.tls {
			add("STARTTLS", say("why.starttls"), false)
		}
		if pr.caps.has("AUTH") && !pr.authed {
			for _, m := range preferredMechanisms(pr.caps.mechanisms()) {
				add("AUTH "+m, say("why.auth", "mechanism", m), false)
			}
		}
		add("MAIL FROM:<you@example.org>", say("why.mail"), true)
		add("NOOP", say("why.noop"), false)
		if pr.caps.has("HELP") {
			add("HELP", say("why.help"), false)
		}
		add("QUIT", say("why.quit"), false)
	case PhaseMail:
		add("RCPT TO:<friend@example.org>", say("why.rcpt"), true)
		add("RSET", say("why.rset"), false)
	case PhaseRcpt:
		add("DATA", say("why.data"), false)
		add("RCPT TO:<another@example.org>", say("why.rcpt-another"), true)
		add("RSET", say("why.rset"), false)
	case PhaseBDAT:
		add("BDAT 0 LAST", say("why.bdat-last"), false)
		add("RSET", say("why.rset"), false)
	}
	return out
}

// preferredMechanisms orders offered mechanisms for a learner: PLAIN and
// LOGIN first (what telnet tutorials teach), then the rest.
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
			suggest(from, say("why.header-from"), s.c.mailFrom == ""),
			suggest(to, say("why.header-to"), false),
			suggest("Subject: Hello from smtplay", say("why.header-subject"), true),
			suggest("Date: "+s.now().Format("Mon, 02 Jan 2006 15:04:05 -0700"), say("why.header-date"), false),
			suggest("MIME-Version: 1.0", say("why.header-mime"), false),
			suggest("Content-Type: text/plain; charset=utf-8", say("why.header-type"), false),
		} {
			name, _ := headerName(h.Line.English)
			if _, ok := m.headers[strings.ToLower(name)]; !ok {
				out = append(out, h)
			}
		}
		out = append(out, suggest("", say("why.empty-line"), false))
	}
	return append(out, suggest(".", say("why.dot"), false))
}
