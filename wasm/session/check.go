package session

import (
	"encoding/base64"

	"slices"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wire"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// warnings collects predictions.
type warnings []Warning

func (w *warnings) add(code, rfc, expect string, msg phrase.Text) {
	*w = append(*w, Warning{Code: code, Message: msg, RFC: rfc, Expect: expect})
}

// analyzeCommand explains a command line and predicts the server's answer
// from the projected conversation (every pending command assumed to succeed).
func (s *Session) analyzeCommand(a *Analysis, line string) plan {
	cmd, err := ParseCommand(line)
	p := plan{cmd: cmd, kind: kindCommand, raw: line}
	pr := s.projected()
	var w warnings

	e, known := explain.Command(cmd.Verb)
	a.RFC = e.RFC
	if known {
		a.explain(e.SayTitle(), e.SayText())
	}
	shown := cmd
	if cmd.Verb == "AUTH" && cmd.InitialResponse {
		verb, rest, _ := strings.Cut(line, " ")
		mech, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
		a.Secret = true
		a.Line = verb + " " + mech + " " + Mask
		a.Shown = a.Line
		shown.Arg = mech + " " + Mask
	}
	a.Command = &shown

	switch {
	case pr.phase == PhaseClosing:
		w.add(WarnAfterQuit, "RFC 5321 §4.1.1.10", "", say("warn.after-quit"))
	case s.c.phase == PhaseGreeting:
		w.add(WarnBeforeGreeting, "RFC 5321 §3.1", "", say("warn.before-greeting"))
	case pr.noService && cmd.Verb != "QUIT":
		w.add(WarnNoService, "RFC 5321 §3.1", "503", say("warn.no-service"))
	}
	s.checkPipelining(&w)
	if len(line)+2 > 512 && cmd.Verb != "AUTH" {
		w.add(WarnCommandTooLong, "RFC 5321 §4.5.3.1.4", "500", say("warn.command-too-long", "octets", strconv.Itoa(len(line)+2)))
	}
	if has8bit(line) && !(cmd.Verb == "MAIL" && hasParam(cmd, "SMTPUTF8") && pr.caps.has("SMTPUTF8")) && !(cmd.Verb == "RCPT" && pr.utf8) {
		w.add(WarnEightBitCommand, "RFC 6531 §3.2", "", say("warn.eight-bit-command"))
	}
	if se, ok := err.(*SyntaxError); ok {
		w.add(se.Code, se.RFC, "501", se.Message)
	}

	switch cmd.Verb {
	case "":
		a.explain(say("line.empty.title"), say("line.empty.text"))
		a.RFC = "RFC 5321 §4.1.1"
		w.add(WarnEmptyLine, "RFC 5321 §4.1.1", "500", say("warn.empty-line"))
	case "EHLO", "HELO":
		if pr.inTransaction() {
			w.add(WarnHelloResets, "RFC 5321 §4.1.4", "", say("warn.hello-resets", "verb", cmd.Verb))
		}
	case "MAIL":
		s.checkMail(&w, cmd, err, pr)
	case "RCPT":
		s.checkRcpt(&w, cmd, err, pr)
	case "DATA", "BDAT":
		s.checkData(&w, cmd, pr)
	case "STARTTLS":
		switch {
		case pr.tls:
			w.add(WarnTLSAlready, "RFC 3207 §4", "503", say("warn.tls-already"))
		case !pr.hello:
			// Postfix and go-smtp start TLS before EHLO all the same.
			w.add(WarnStartTLSNotOffered, "RFC 3207 §4", "", say("warn.starttls-before-hello"))
		case pr.capsKnown && !pr.caps.has("STARTTLS"):
			w.add(WarnStartTLSNotOffered, "RFC 3207 §4", "502", say("warn.starttls-not-offered"))
		}
	case "AUTH":
		s.checkAuth(a, &w, cmd, line, pr)
	case "SEND", "SOML", "SAML", "TURN":
		w.add(WarnUnknownCommand, e.RFC, "502", say("warn.removed-command", "verb", cmd.Verb))
	case "ETRN", "ATRN", "BURL":
		if pr.capsKnown && !pr.caps.has(cmd.Verb) {
			w.add(WarnUnknownCommand, e.RFC, "500", say("warn.command-not-offered", "verb", cmd.Verb))
		}
	case ".":
		a.explain(say("line.dot.title"), say("line.dot.text"))
		a.RFC = "RFC 5321 §4.1.1.4"
		w.add(WarnDotOutsideData, "RFC 5321 §4.1.1.4", "500", say("warn.dot-outside-data"))
	default:
		if name, ok := headerName(line); ok && strings.Contains(cmd.Verb, ":") {
			s.explainHeaderAsCommand(a, &w, name)
		} else if !known {
			a.explain(say("line.unknown.title"), say("line.unknown.text", "verb", strconv.Quote(cmd.Verb)))
			a.RFC = "RFC 5321 §4.1.1"
			w.add(WarnUnknownCommand, "RFC 5321 §4.2.4", "500", say("warn.unknown-command", "verb", strconv.Quote(cmd.Verb)))
		}
	}
	a.Warnings = s.fitToTarget(cmd.Verb, w)
	return p
}

// checkPipelining warns when a command follows others still unanswered.
func (s *Session) checkPipelining(w *warnings) {
	if len(s.pending) == 0 {
		return
	}
	last := s.pending[len(s.pending)-1]
	switch {
	case last.kind == kindGreeting:
	case last.kind == kindCommand && last.cmd.Verb == "QUIT":
	case last.kind == kindCommand && syncVerb(last.cmd.Verb):
		w.add(WarnPipelineSync, "RFC 2920 §3.1", "", say("warn.pipeline-sync", "verb", last.cmd.Verb))
	case !s.c.caps.has("PIPELINING"):
		w.add(WarnNoPipelining, "RFC 2920 §3", "", say("warn.no-pipelining"))
	}
}

// syncVerb reports whether a command must end a pipelined group (RFC 2920 §3.1).
func syncVerb(v string) bool {
	switch v {
	case "EHLO", "HELO", "DATA", "VRFY", "EXPN", "TURN", "NOOP", "STARTTLS", "AUTH":
		return true
	}
	return false
}

func (s *Session) checkMail(w *warnings, cmd Command, err error, pr conv) {
	switch {
	case pr.phase == PhaseGreeting || pr.phase == PhaseClosing:
	case !pr.hello:
		w.add(WarnNoHello, "RFC 5321 §4.1.4", "503", say("warn.mail-before-hello"))
	case pr.inTransaction():
		w.add(WarnNestedMail, "RFC 5321 §4.1.1.2", "503", say("warn.nested-mail"))
	case !pr.tls && s.opt.Profile != nil && hasRefusal(s.opt.Profile, "starttls-first"):
		w.add(WarnTLSRequired, "RFC 3207 §4", "530", say("warn.tls-required"))
	case pr.capsKnown && pr.caps.has("AUTH") && !pr.authed:
		// A submission server (587, 465) answers 530; a server receiving
		// mail for its own domains (25, or a lab's port) accepts it, so
		// there it is a note. fitToTarget fits it to a sandbox.
		expect := ""
		if s.opt.Submission || s.opt.Profile != nil {
			expect = "530"
		}
		w.add(WarnMailBeforeAuth, "RFC 4954 §6", expect, say("warn.mail-before-auth"))
	}
	if err == nil {
		checkPath(w, cmd)
		s.checkParams(w, cmd, pr)
	}
}

func (s *Session) checkRcpt(w *warnings, cmd Command, err error, pr conv) {
	if pr.phase != PhaseMail && pr.phase != PhaseRcpt && pr.phase != PhaseGreeting && pr.phase != PhaseClosing {
		w.add(WarnRcptBeforeMail, "RFC 5321 §4.1.4", "503", say("warn.rcpt-before-mail"))
	}
	if err != nil {
		return
	}
	checkPath(w, cmd)
	if cmd.Bracketed && cmd.Path == "" {
		w.add(WarnEmptyRecipient, "RFC 5321 §4.1.1.3", "501", say("warn.empty-recipient"))
	}
	if n := pr.caps.rcptLimit(); n > 0 && len(pr.rcpts) >= n {
		w.add(WarnTooManyRecipients, "RFC 5321 §4.5.3.1.10", "452", say("warn.too-many-recipients", "max", strconv.Itoa(n)))
	}
	s.checkParams(w, cmd, pr)
}

// checkPath warns about the address forms RFC 5321 §4.1.2 does not allow.
func checkPath(w *warnings, cmd Command) {
	kw := "FROM:"
	if cmd.Verb == "RCPT" {
		kw = "TO:"
	}
	if !cmd.Bracketed {
		w.add(WarnNoAngleBrackets, "RFC 5321 §4.1.2", "501", say("warn.no-angle-brackets", "example", cmd.Verb+" "+kw+"<"+cmd.Path+">"))
	}
	if cmd.SpaceAfterColon {
		w.add(WarnSpaceAfterColon, "RFC 5321 §4.1.2", "", say("warn.space-after-colon", "keyword", kw, "verb", cmd.Verb))
	}
}

// paramExtensions pairs each MAIL or RCPT parameter with the EHLO keyword
// that allows it.
var paramExtensions = [][2]string{
	{"SIZE", "SIZE"}, {"BODY", "8BITMIME"}, {"SMTPUTF8", "SMTPUTF8"}, {"RET", "DSN"}, {"ENVID", "DSN"},
	{"NOTIFY", "DSN"}, {"ORCPT", "DSN"}, {"AUTH", "AUTH"}, {"REQUIRETLS", "REQUIRETLS"}, {"BY", "DELIVERBY"},
	{"MT-PRIORITY", "MT-PRIORITY"}, {"HOLDFOR", "FUTURERELEASE"}, {"HOLDUNTIL", "FUTURERELEASE"},
	{"SUBMITTER", "SUBMITTER"}, {"MTRK", "MTRK"}, {"RRVS", "RRVS"},
}

// paramExtension returns the EHLO keyword that allows a MAIL or RCPT
// parameter, and false for a parameter of no extension smtplay knows.
func paramExtension(param string) (string, bool) {
	for _, p := range paramExtensions {
		if p[0] == param {
			return p[1], true
		}
	}
	return "", false
}

func (s *Session) checkParams(w *warnings, cmd Command, pr conv) {
	for _, p := range cmd.Params {
		ext, ok := paramExtension(p.Key)
		if p.Key == "BODY" && asciiUpper(p.Value) == "BINARYMIME" {
			ext = "BINARYMIME"
		}
		switch {
		case !ok:
			w.add(WarnParamNotOffered, "RFC 5321 §4.1.2", "555", say("warn.param-unknown", "param", p.Key))
		case pr.capsKnown && !pr.caps.has(ext):
			w.add(WarnParamNotOffered, "RFC 5321 §4.1.2", "555", say("warn.param-not-offered", "param", p.Key, "extension", ext))
		}
		if p.Key == "SIZE" {
			n, err := strconv.ParseInt(p.Value, 10, 64)
			if limit := pr.caps.sizeLimit(); err == nil && limit > 0 && n > limit {
				w.add(WarnSizeExceeds, "RFC 1870 §6", "552", say("warn.size-exceeds", "size", p.Value, "limit", strconv.FormatInt(limit, 10)))
			}
		}
	}
}

func (s *Session) checkData(w *warnings, cmd Command, pr conv) {
	if cmd.Verb == "BDAT" {
		w.add(WarnBDATTunnel, "RFC 3030 §2", "", say("warn.bdat-tunnel"))
		if pr.capsKnown && !pr.caps.has("CHUNKING") {
			w.add(WarnBDATNotOffered, "RFC 3030 §2", "502", say("warn.bdat-not-offered"))
		}
	} else if pr.bdat {
		w.add(WarnDataAfterBDAT, "RFC 3030 §2", "503", say("warn.data-after-bdat"))
		return
	}
	switch pr.phase {
	case PhaseRcpt, PhaseBDAT, PhaseGreeting, PhaseClosing:
	case PhaseMail:
		w.add(WarnDataBeforeRcpt, "RFC 5321 §3.3", "554", say("warn.data-before-rcpt"))
	default:
		w.add(WarnDataBeforeRcpt, "RFC 5321 §4.1.4", "503", say("warn.data-without-mail"))
	}
}

// cleartextMechanisms send a password or a bearer token that anyone on the
// path can read without TLS.
var cleartextMechanisms = []string{"PLAIN", "LOGIN", "XOAUTH2", "XOAUTH", "OAUTHBEARER"}

func (s *Session) checkAuth(a *Analysis, w *warnings, cmd Command, line string, pr conv) {
	switch {
	case cmd.Mechanism == "" || pr.phase == PhaseGreeting || pr.phase == PhaseClosing:
	case !pr.hello:
		w.add(WarnNoHello, "RFC 4954 §4", "503", say("warn.auth-before-hello"))
	case pr.authed:
		w.add(WarnAuthAlready, "RFC 4954 §4", "503", say("warn.auth-already"))
	case pr.inTransaction():
		w.add(WarnAuthInTransaction, "RFC 4954 §4", "503", say("warn.auth-in-transaction"))
	case pr.capsKnown && !pr.caps.has("AUTH") && pr.caps.has("STARTTLS") && !pr.tls:
		w.add(WarnAuthHidden, "RFC 4954 §4", "530", say("warn.auth-hidden"))
	case pr.capsKnown && !pr.caps.has("AUTH"):
		w.add(WarnAuthNotOffered, "RFC 4954 §4", "503", say("warn.auth-not-offered"))
	case pr.capsKnown && !contains(pr.caps.mechanisms(), cmd.Mechanism):
		w.add(WarnAuthMechanism, "RFC 4954 §4", "504", say("warn.auth-mechanism", "mechanism", cmd.Mechanism, "offered", strings.Join(pr.caps.mechanisms(), " ")))
	}
	if m, ok := explain.Mechanism(cmd.Mechanism); ok {
		a.explainMore(say("line.name", "name", m.Key), m.SayText())
	}
	if cmd.InitialResponse {
		_, rest, _ := strings.Cut(strings.TrimLeft(cmd.Arg, " "), " ")
		checkBase64(w, strings.TrimSpace(rest), true, cmd.Mechanism != "LOGIN")
		if len(line)+2 > 512 {
			// Most servers read longer lines (Postfix 2048 octets, the
			// sandbox 12 KiB): a rule for the client, not a prediction.
			w.add(WarnAuthLineTooLong, "RFC 4954 §4", "", say("warn.auth-line-too-long", "mechanism", cmd.Mechanism))
		}
	}
	if cmd.Mechanism != "" && !pr.tls && (slices.Contains(cleartextMechanisms, cmd.Mechanism) || !knownMechanism(cmd.Mechanism)) {
		s.cleartext(a, w)
	}
}

// cleartext warns about credentials without TLS, and asks for confirmation
// when the server is a real one.
func (s *Session) cleartext(a *Analysis, w *warnings) {
	if s.opt.Sandbox {
		w.add(WarnCleartext, "RFC 4954 §4", "", say("warn.cleartext-sandbox"))
		return
	}
	a.NeedsConfirm = true
	w.add(WarnCleartext, "RFC 4954 §4", "", say("warn.cleartext-confirm"))
}

// checkBase64 warns about an AUTH answer that is not base64 (padded, as
// RFC 4648 §4 has it and servers decode it), or that encodes text ending in
// a newline (echo without -n). final is true when the server decides on
// the login after this line: a wrong name in AUTH LOGIN is answered only
// after the password, with 535.
func checkBase64(w *warnings, s string, initial, final bool) {
	if s == "" || (initial && s == "=") {
		return
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		w.add(WarnNotBase64, "RFC 4954 §4", "501", say("warn.not-base64"))
		return
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		expect := ""
		if final {
			expect = "535"
		}
		w.add(WarnNewlineInSecret, "RFC 4954 §4", expect, say("warn.newline-in-secret"))
	}
}

// hasRefusal reports whether profile p refuses rule.
func hasRefusal(p *wire.Profile, rule string) bool { _, ok := refusal(p, rule); return ok }

func knownMechanism(m string) bool { _, ok := explain.Mechanism(m); return ok }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasParam(c Command, key string) bool { _, ok := c.Param(key); return ok }

func has8bit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// explainHeaderAsCommand handles "Subject: x" typed in command mode.
func (s *Session) explainHeaderAsCommand(a *Analysis, w *warnings, name string) {
	h, known := explain.Header(name)
	a.RFC = "RFC 5322 §3.6"
	if known {
		a.RFC = h.RFC
	}
	a.explain(say("line.header-command.title"), say("line.header-command.text", "name", name, "rfc", a.RFC))
	msg := say("warn.header-in-command")
	switch strings.ToUpper(name) {
	case "TO":
		msg = phrase.Join(msg, say("warn.header-in-command.to"))
	case "FROM":
		msg = phrase.Join(msg, say("warn.header-in-command.from"))
	}
	w.add(WarnHeaderInCommand, "RFC 5321 §4.1.1.4", "500", msg)
}
