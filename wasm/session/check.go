package session

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
)

// warnings collects predictions.
type warnings []Warning

func (w *warnings) add(code, rfc, expect, msg string) {
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
	a.Title, a.Explanation, a.RFC = e.Title, e.Text, e.RFC
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
		w.add(WarnAfterQuit, "RFC 5321 §4.1.1.10", "", "The session is ending (QUIT was sent, or the server said 421): nothing after it will be answered.")
	case s.c.phase == PhaseGreeting:
		w.add(WarnBeforeGreeting, "RFC 5321 §3.1", "", "The server has not greeted you yet. Wait for its 220: many servers drop clients that talk first.")
	case pr.noService && cmd.Verb != "QUIT":
		w.add(WarnNoService, "RFC 5321 §3.1", "503", "The server greeted you with 554: it offers no service here and will answer 503 to everything but QUIT.")
	}
	s.checkPipelining(&w)
	if len(line)+2 > 512 && cmd.Verb != "AUTH" {
		w.add(WarnCommandTooLong, "RFC 5321 §4.5.3.1.4", "500", "This command line is "+strconv.Itoa(len(line)+2)+" octets with its CRLF; the limit is 512.")
	}
	if has8bit(line) && !(cmd.Verb == "MAIL" && hasParam(cmd, "SMTPUTF8") && pr.caps.has("SMTPUTF8")) && !(cmd.Verb == "RCPT" && pr.utf8) {
		w.add(WarnEightBitCommand, "RFC 6531 §3.2", "", "Commands are US-ASCII (RFC 5321 §2.4). Non-ASCII addresses need the SMTPUTF8 extension: MAIL FROM:<...> SMTPUTF8.")
	}
	if se, ok := err.(*SyntaxError); ok {
		w.add(se.Code, se.RFC, "501", se.Message)
	}

	switch cmd.Verb {
	case "":
		a.Title = "Empty line"
		a.Explanation = "An empty line is not a command."
		a.RFC = "RFC 5321 §4.1.1"
		w.add(WarnEmptyLine, "RFC 5321 §4.1.1", "500", "An empty line is not a command; the server will answer 500.")
	case "EHLO", "HELO":
		if pr.inTransaction() {
			w.add(WarnHelloResets, "RFC 5321 §4.1.4", "", cmd.Verb+" in the middle of a transaction resets it, like RSET: the sender and recipients are forgotten.")
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
			w.add(WarnTLSAlready, "RFC 3207 §4", "503", "TLS is already up; a client must not start it twice.")
		case !pr.hello:
			w.add(WarnStartTLSNotOffered, "RFC 3207 §4", "503", "Send EHLO first: its reply says whether the server offers STARTTLS.")
		case pr.capsKnown && !pr.caps.has("STARTTLS"):
			w.add(WarnStartTLSNotOffered, "RFC 3207 §4", "502", "The server did not offer STARTTLS in its EHLO reply.")
		}
	case "AUTH":
		s.checkAuth(a, &w, cmd, line, pr)
	case "SEND", "SOML", "SAML", "TURN":
		w.add(WarnUnknownCommand, e.RFC, "502", cmd.Verb+" was removed from SMTP; expect 502.")
	case "ETRN", "ATRN", "BURL":
		if pr.capsKnown && !pr.caps.has(cmd.Verb) {
			w.add(WarnUnknownCommand, e.RFC, "502", "The server did not offer "+cmd.Verb+" in its EHLO reply.")
		}
	case ".":
		a.Title = "A lone dot outside DATA"
		a.Explanation = "A line with a single dot ends a message only after DATA and the server's 354."
		a.RFC = "RFC 5321 §4.1.1.4"
		w.add(WarnDotOutsideData, "RFC 5321 §4.1.1.4", "500", "There is no message to end: you are not in DATA. The server will answer 500.")
	default:
		if name, ok := headerName(line); ok && strings.Contains(cmd.Verb, ":") {
			s.explainHeaderAsCommand(a, &w, name)
		} else if !known {
			a.Title = "Not an SMTP command"
			a.Explanation = strconv.Quote(cmd.Verb) + " is not a command of RFC 5321 or of a common extension."
			a.RFC = "RFC 5321 §4.1.1"
			w.add(WarnUnknownCommand, "RFC 5321 §4.2.4", "500", "The server will not recognise "+strconv.Quote(cmd.Verb)+": expect 500 (unrecognised) or 502 (not implemented).")
		}
	}
	a.Warnings = w
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
		w.add(WarnPipelineSync, "RFC 2920 §3.1", "", last.cmd.Verb+" must be the last command of a group: wait for its reply before sending more.")
	case !s.c.caps.has("PIPELINING"):
		w.add(WarnNoPipelining, "RFC 2920 §3", "", "The server did not offer PIPELINING: wait for each reply before the next command. Some servers drop clients that do not.")
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
		w.add(WarnNoHello, "RFC 5321 §4.1.4", "503", "Say EHLO (or HELO) first: a mail transaction needs an open session.")
	case pr.inTransaction():
		w.add(WarnNestedMail, "RFC 5321 §4.1.1.2", "503", "A transaction is already open: finish it with DATA, or RSET, before a new MAIL.")
	case pr.capsKnown && pr.caps.has("AUTH") && !pr.authed:
		// Real targets are submission servers (465/587): they answer 530.
		// The sandbox's profiles differ, so there it is a note, not a prediction.
		expect := "530"
		if s.opt.Sandbox {
			expect = ""
		}
		w.add(WarnMailBeforeAuth, "RFC 4954 §6", expect, "This server offers AUTH and you have not logged in. A submission server (port 587) will refuse with 530 5.7.0; a server receiving mail for its own domains (port 25) accepts it.")
	}
	if err == nil {
		checkPath(w, cmd)
		s.checkParams(w, cmd, pr)
	}
}

func (s *Session) checkRcpt(w *warnings, cmd Command, err error, pr conv) {
	if pr.phase != PhaseMail && pr.phase != PhaseRcpt && pr.phase != PhaseGreeting && pr.phase != PhaseClosing {
		w.add(WarnRcptBeforeMail, "RFC 5321 §4.1.4", "503", "RCPT before MAIL: there is no open transaction, so the server will answer 503 (bad sequence of commands). Start with MAIL FROM:<you@example.org>.")
	}
	if err != nil {
		return
	}
	checkPath(w, cmd)
	if cmd.Bracketed && cmd.Path == "" {
		w.add(WarnEmptyRecipient, "RFC 5321 §4.1.1.3", "501", "<> is the null sender for MAIL FROM; a recipient needs an address.")
	}
	if n := pr.caps.rcptLimit(); n > 0 && len(pr.rcpts) >= n {
		w.add(WarnTooManyRecipients, "RFC 5321 §4.5.3.1.10", "452", "The server announced at most "+strconv.Itoa(n)+" recipients per message; send the rest in another transaction.")
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
		w.add(WarnNoAngleBrackets, "RFC 5321 §4.1.2", "501", "Put the address in angle brackets: "+cmd.Verb+" "+kw+"<"+cmd.Path+">. Strict servers answer 501; some accept it (the second seed's Yandex did).")
	}
	if cmd.SpaceAfterColon {
		w.add(WarnSpaceAfterColon, "RFC 5321 §4.1.2", "", "RFC 5321 has no space after "+kw+" ("+cmd.Verb+" "+kw+"<...>). Most servers tolerate it; strict ones answer 501.")
	}
}

// paramExtension maps a MAIL or RCPT parameter to the EHLO keyword that
// allows it.
var paramExtension = map[string]string{
	"SIZE": "SIZE", "BODY": "8BITMIME", "SMTPUTF8": "SMTPUTF8", "RET": "DSN", "ENVID": "DSN",
	"NOTIFY": "DSN", "ORCPT": "DSN", "AUTH": "AUTH", "REQUIRETLS": "REQUIRETLS", "BY": "DELIVERBY",
	"MT-PRIORITY": "MT-PRIORITY", "HOLDFOR": "FUTURERELEASE", "HOLDUNTIL": "FUTURERELEASE",
	"SUBMITTER": "SUBMITTER", "MTRK": "MTRK", "RRVS": "RRVS",
}

func (s *Session) checkParams(w *warnings, cmd Command, pr conv) {
	for _, p := range cmd.Params {
		ext, ok := paramExtension[p.Key]
		if p.Key == "BODY" && asciiUpper(p.Value) == "BINARYMIME" {
			ext = "BINARYMIME"
		}
		switch {
		case !ok:
			w.add(WarnParamNotOffered, "RFC 5321 §4.1.2", "555", "smtplay does not know the parameter "+p.Key+"; a server that does not know it answers 555.")
		case pr.capsKnown && !pr.caps.has(ext):
			w.add(WarnParamNotOffered, "RFC 5321 §4.1.2", "555", p.Key+"= needs the "+ext+" extension, which the server did not offer: expect 555.")
		}
		if p.Key == "SIZE" {
			n, err := strconv.ParseInt(p.Value, 10, 64)
			if limit := pr.caps.sizeLimit(); err == nil && limit > 0 && n > limit {
				w.add(WarnSizeExceeds, "RFC 1870 §6", "552", "SIZE="+p.Value+" is above the server's limit of "+strconv.FormatInt(limit, 10)+" bytes: expect 552 5.3.4.")
			}
		}
	}
}

func (s *Session) checkData(w *warnings, cmd Command, pr conv) {
	if cmd.Verb == "BDAT" {
		w.add(WarnBDATTunnel, "RFC 3030 §2", "", "The playground's tunnel does not carry BDAT (its chunks need not end at a line end); use DATA.")
		if pr.capsKnown && !pr.caps.has("CHUNKING") {
			w.add(WarnBDATNotOffered, "RFC 3030 §2", "502", "The server did not offer CHUNKING, so it does not know BDAT.")
		}
	} else if pr.bdat {
		w.add(WarnDataAfterBDAT, "RFC 3030 §2", "503", "This transaction already sent BDAT chunks; DATA and BDAT cannot be mixed.")
		return
	}
	switch pr.phase {
	case PhaseRcpt, PhaseBDAT, PhaseGreeting, PhaseClosing:
	case PhaseMail:
		w.add(WarnDataBeforeRcpt, "RFC 5321 §3.3", "554", "No recipient has been accepted yet: the server will answer 503 or 554 (no valid recipients). Add one with RCPT TO:<...>.")
	default:
		w.add(WarnDataBeforeRcpt, "RFC 5321 §4.1.4", "503", "There is no mail transaction: send MAIL FROM:<...> and RCPT TO:<...> first, or the server answers 503.")
	}
}

// cleartextMechanisms send a password or a bearer token that anyone on the
// path can read without TLS.
var cleartextMechanisms = map[string]bool{"PLAIN": true, "LOGIN": true, "XOAUTH2": true, "XOAUTH": true, "OAUTHBEARER": true}

func (s *Session) checkAuth(a *Analysis, w *warnings, cmd Command, line string, pr conv) {
	switch {
	case cmd.Mechanism == "" || pr.phase == PhaseGreeting || pr.phase == PhaseClosing:
	case !pr.hello:
		w.add(WarnNoHello, "RFC 4954 §4", "503", "Say EHLO first: AUTH is an extension the server lists in its EHLO reply.")
	case pr.authed:
		w.add(WarnAuthAlready, "RFC 4954 §4", "503", "You are already logged in; a second AUTH gets 503.")
	case pr.inTransaction():
		w.add(WarnAuthInTransaction, "RFC 4954 §4", "503", "AUTH is not allowed during a mail transaction: finish it or RSET first.")
	case pr.capsKnown && !pr.caps.has("AUTH") && pr.caps.has("STARTTLS") && !pr.tls:
		w.add(WarnAuthHidden, "RFC 4954 §4", "530", "The server does not offer AUTH before TLS: many hide it so that passwords never travel in the clear. Send STARTTLS, then EHLO again.")
	case pr.capsKnown && !pr.caps.has("AUTH"):
		w.add(WarnAuthNotOffered, "RFC 4954 §4", "503", "The server did not offer AUTH in its EHLO reply.")
	case pr.capsKnown && !contains(pr.caps.mechanisms(), cmd.Mechanism):
		w.add(WarnAuthMechanism, "RFC 4954 §4", "504", cmd.Mechanism+" is not among the offered mechanisms ("+strings.Join(pr.caps.mechanisms(), " ")+"): expect 504 5.5.4.")
	}
	if m, ok := explain.Mechanism(cmd.Mechanism); ok {
		a.Explanation += " " + m.Key + ": " + m.Text
	}
	if cmd.InitialResponse {
		_, rest, _ := strings.Cut(strings.TrimLeft(cmd.Arg, " "), " ")
		checkBase64(w, strings.TrimSpace(rest), true)
		if len(line)+2 > 512 {
			w.add(WarnAuthLineTooLong, "RFC 4954 §4", "500", "With its initial response the AUTH line is over 512 octets: send AUTH "+cmd.Mechanism+" alone and the response after the 334.")
		}
	}
	if cmd.Mechanism != "" && !pr.tls && (cleartextMechanisms[cmd.Mechanism] || !knownMechanism(cmd.Mechanism)) {
		s.cleartext(a, w)
	}
}

// cleartext warns about credentials without TLS, and asks for confirmation
// when the server is a real one.
func (s *Session) cleartext(a *Analysis, w *warnings) {
	if s.opt.Sandbox {
		w.add(WarnCleartext, "RFC 4954 §4", "", "Base64 is an encoding, not encryption: anyone on the path could read this. Fine for the sandbox; on a real server use STARTTLS first.")
		return
	}
	a.NeedsConfirm = true
	w.add(WarnCleartext, "RFC 4954 §4", "", "Your credentials would cross the internet unencrypted: base64 is an encoding, not encryption. Send STARTTLS first, or confirm to send anyway.")
}

// checkBase64 warns about an AUTH answer that is not base64, or that encodes
// text ending in a newline (echo without -n).
func checkBase64(w *warnings, s string, initial bool) {
	if s == "" || (initial && s == "=") {
		return
	}
	b, err := decodeBase64(s)
	if err != nil {
		w.add(WarnNotBase64, "RFC 4954 §4", "501", "This is not valid base64; the server will answer 501 5.5.2. Encode it first, e.g. echo -n 'text' | base64.")
		return
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		w.add(WarnNewlineInSecret, "RFC 4954 §4", "535", "This base64 encodes text that ends with a newline, as echo without -n makes it: the newline becomes part of the name or password. Use echo -n or printf.")
	}
}

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
	a.Title = "A header line, not a command"
	a.RFC = "RFC 5322 §3.6"
	if known {
		a.RFC = h.RFC
	}
	a.Explanation = name + ": is a header field of the message (" + a.RFC + "), not an SMTP command. Header lines are typed inside DATA, after the server's 354. " +
		"(The first seed lists SUBJECT:, TO: and FROM: among the commands; RFC 5321 has no such commands.)"
	msg := "This is a header line: it belongs inside DATA, after the 354. As a command the server will answer 500."
	switch strings.ToUpper(name) {
	case "TO":
		msg += " For the envelope recipient, use RCPT TO:<address>."
	case "FROM":
		msg += " For the envelope sender, use MAIL FROM:<address>."
	}
	w.add(WarnHeaderInCommand, "RFC 5321 §4.1.1.4", "500", msg)
}
