package console

import (
	"slices"

	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// planBook says why Compose cannot plan a message, and why the body goes
// as it does.
var planBook = phrase.Table{
	{"plan.not-ready", "say EHLO first: a message needs an open session (and, on most servers, a login)"},
	{"plan.busy", "wait for the server's replies first"},
	{"plan.no-open", "connect first"},
	{"plan.body-7bit", "The body is plain ASCII: it goes as it is (7bit)."},
	{"plan.body-8bit", "The body has non-ASCII letters and the server offers 8BITMIME, so MAIL FROM says BODY=8BITMIME and the UTF-8 text goes as it is (8bit, RFC 6152)."},
	{"plan.body-qp-mail", "The body has non-ASCII letters. MAIL FROM was already sent without BODY=8BITMIME, so the body is quoted-printable: 7-bit safe, and the mail reader decodes it (RFC 2045 §6.7)."},
	{"plan.body-qp-no-8bit", "The body has non-ASCII letters and the server did not offer 8BITMIME, so the body is quoted-printable: 7-bit safe, and the mail reader decodes it (RFC 2045 §6.7)."},
}

// Plan is what the composer will send: the commands the conversation still
// needs (MAIL FROM, RCPT TO, DATA), then the message lines.
type Plan struct {
	// Commands come first, each waiting for its reply where it must.
	Commands []string `json:"commands"`
	// Lines are the message after DATA, the final dot included.
	Lines []compose.Line `json:"lines"`
	// Note says why the body is encoded as it is, for a student.
	Note phrase.Text `json:"note"`
}

// Texts returns every line to paste, commands first.
func (p Plan) Texts() []string {
	out := slices.Clone(p.Commands)
	for _, l := range p.Lines {
		out = append(out, l.Text)
	}
	return out
}

// Errors of Compose.
var (
	ErrNotReady = say("plan.not-ready").Err()
	ErrBusy     = say("plan.busy").Err()
	ErrNoOpen   = say("plan.no-open").Err()
)

// Compose plans the message m for the conversation as it stands: from a
// ready session it sends MAIL FROM (with BODY=8BITMIME when the body needs
// it and the server offers it), a RCPT TO for each recipient and DATA; in a
// transaction it sends only what is missing. The body goes as 8-bit text
// only when this plan's own MAIL FROM declared it; otherwise it is
// quoted-printable.
func (c *Console) Compose(m compose.Message) (Plan, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil || c.status != StatusOpen {
		return Plan{}, ErrNoOpen
	}
	if len(c.queue) > 0 {
		return Plan{}, ErrBusy
	}
	env, err := m.Addresses()
	if err != nil {
		return Plan{}, err
	}
	st := c.sess.State()
	offers8 := false
	for _, cp := range c.sess.Capabilities() {
		offers8 = offers8 || cp.Keyword == "8BITMIME"
	}
	var p Plan
	m.EightBit = false
	switch {
	case len(st.Pending) > 0:
		return Plan{}, ErrBusy
	case st.Mode == session.ModeContent:
	case st.Phase == session.PhaseRcpt:
		p.Commands = []string{"DATA"}
	case st.Phase == session.PhaseMail:
		p.Commands = append(rcpts(env.To), "DATA")
	case st.Phase == session.PhaseReady || st.Phase == session.PhaseAuthenticated:
		mail := "MAIL FROM:<" + env.From + ">"
		if env.EightBit && offers8 {
			mail += " BODY=8BITMIME"
			m.EightBit = true
		}
		p.Commands = append(append([]string{mail}, rcpts(env.To)...), "DATA")
	default:
		return Plan{}, ErrNotReady
	}
	p.Lines, err = m.Lines()
	if err != nil {
		return Plan{}, err
	}
	p.Note = bodyNote(env.EightBit, m.EightBit, offers8)
	return p, nil
}

func rcpts(to []string) []string {
	var out []string
	for _, a := range to {
		out = append(out, "RCPT TO:<"+a+">")
	}
	return out
}

// bodyNote explains the transfer encoding chosen.
func bodyNote(nonASCII, eightBit, offers8 bool) phrase.Text {
	switch {
	case !nonASCII:
		return say("plan.body-7bit")
	case eightBit:
		return say("plan.body-8bit")
	case offers8:
		return say("plan.body-qp-mail")
	}
	return say("plan.body-qp-no-8bit")
}
