package session

import (
	"slices"
	"strconv"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wire"
)

// strictRules names, for a warning about something servers differ on and
// the verb warned about, the rule of a sandbox profile (docs/PROTOCOL.md,
// "Profiles") that refuses it. Lenient servers accept these lines; strict
// ones refuse them.
var strictRules = []struct{ warning, verb, rule string }{
	{WarnNoAngleBrackets, "MAIL", "mail-angle-brackets"},
	{WarnNoAngleBrackets, "RCPT", "rcpt-angle-brackets"},
	{WarnAddressLiteral, "EHLO", "hello-domain-or-literal"},
	{WarnAddressLiteral, "HELO", "hello-domain-or-literal"},
	{WarnMailBeforeAuth, "MAIL", "auth-first"},
	{WarnTLSRequired, "MAIL", "starttls-first"},
	{WarnTLSRequired, "AUTH", "starttls-first"},
}

// strictRule returns the rule of strictRules that refuses verb with the
// warning, and false when every server accepts or refuses it alike.
func strictRule(warning, verb string) (string, bool) {
	for _, r := range strictRules {
		if r.warning == warning && r.verb == verb {
			return r.rule, true
		}
	}
	return "", false
}

// precedence orders the warnings by which check a server makes first, so
// that a line predicts one reply: the order of Postfix's and go-smtp's
// checks (the line itself, then the sequence, TLS, the syntax of the
// arguments, what the server offers, and the login last).
var precedence = []string{
	WarnAfterQuit, WarnNoService, WarnBeforeGreeting, WarnCommandTooLong, WarnAuthLineTooLong,
	WarnEmptyLine, WarnUnknownCommand, WarnHeaderInCommand, WarnDotOutsideData,
	WarnNoHello, WarnNestedMail, WarnRcptBeforeMail, WarnDataBeforeRcpt, WarnDataAfterBDAT,
	WarnAuthAlready, WarnAuthInTransaction, WarnTLSRequired,
	WarnSyntax, WarnHelloNoDomain, WarnAddressLiteral, WarnNoAngleBrackets, WarnEmptyRecipient, WarnNotBase64,
	WarnStartTLSNotOffered, WarnTLSAlready, WarnAuthHidden, WarnAuthNotOffered, WarnAuthMechanism,
	WarnMailBeforeAuth, WarnParamNotOffered, WarnSizeExceeds, WarnTooManyRecipients, WarnBDATNotOffered,
	WarnNewlineInSecret,
}

// sandboxAnswers are replies where the sandbox picks one of the codes RFC
// 5321 allows and real servers often pick another: DATA with no accepted
// recipient may be 503 or 554 (§3.3); the sandbox (go-smtp) says 503,
// Postfix 554.
var sandboxAnswers = map[string]string{WarnDataBeforeRcpt: "503"}

// settle keeps the expected reply of the one warning whose check a server
// makes first; the others stay as remarks.
func settle(w []Warning) []Warning {
	first, rank := -1, len(precedence)
	for i := range w {
		if w[i].Expect == "" {
			continue
		}
		r := slices.Index(precedence, w[i].Code)
		if r < 0 {
			r = len(precedence)
		}
		if first < 0 || r < rank {
			first, rank = i, r
		}
	}
	for i := range w {
		if i != first {
			w[i].Expect = ""
		}
	}
	return w
}

// targetBook holds the sentences that fit a prediction to the server at
// the other end.
var targetBook = phrase.Table{
	{"target.refuses", "This server refuses it: expect {code}."},
	{"target.accepts", "This server is lenient and accepts it; strict servers answer {code}."},
}

// fitToTarget states each prediction for the server the session talks to.
// A sandbox's profile is known exactly: a prediction about something only
// strict servers refuse becomes "this server refuses it" or "this server
// accepts it", and every prediction is sure. For a real server they stay
// what a strict server probably answers, as they do when the profile is not
// known (a session replayed from a shared transcript).
func (s *Session) fitToTarget(verb string, w []Warning) []Warning {
	w = settle(w)
	p := s.opt.Profile
	for i := range w {
		rule, strictOnly := strictRule(w[i].Code, verb)
		switch {
		case p == nil:
		case !strictOnly:
			if code, ok := sandboxAnswers[w[i].Code]; ok && w[i].Expect != "" {
				w[i].Expect = code
			}
			w[i].Sure = w[i].Expect != ""
		default:
			strict := w[i].Expect
			if r, ok := refusal(p, rule); ok {
				code := strconv.Itoa(r.Code)
				w[i].Expect, w[i].Sure = code, true
				w[i].Message = phrase.Join(w[i].Message, say("target.refuses", "code", (code+" "+r.Enhanced)))
			} else {
				w[i].Expect, w[i].Accepted = "", true
				w[i].Message = phrase.Join(w[i].Message, say("target.accepts", "code", strict))
			}
		}
	}
	return w
}

// refusal finds rule among what profile p refuses.
func refusal(p *wire.Profile, rule string) (wire.Refusal, bool) {
	for _, r := range p.Refuses {
		if r.Rule == rule {
			return r, true
		}
	}
	return wire.Refusal{}, false
}
