package session

// advance moves the conversation on by one reply: code (and, for EHLO, the
// reply's lines) answering p. It is the one state machine, used both for real
// replies and, with optimistic codes, for the projection that checks use.
// lines is nil in the projection: the capabilities an EHLO will bring are
// then unknown.
func advance(c *conv, p pending, code int, lines []string) {
	if code == 421 {
		c.phase = PhaseClosing // the server may send 421 to anything (RFC 5321 §3.8)
		return
	}
	ok := code >= 200 && code < 300
	switch p.to() {
	case kindGreeting:
		if code == 220 {
			c.phase = PhaseGreeted
		} else if code == 554 {
			c.phase, c.noService = PhaseGreeted, true
		}
	case "EHLO", "HELO":
		if !ok {
			return
		}
		c.resetTransaction() // RFC 5321 §4.1.4: like RSET
		c.hello, c.extended = true, p.cmd.Verb == "EHLO"
		c.caps, c.capsKnown = nil, lines != nil || !c.extended
		if c.extended && len(lines) > 1 {
			for _, l := range lines[1:] {
				c.caps = append(c.caps, ParseCapability(l))
			}
		}
		c.phase = c.idle()
	case "AUTH", kindAuthReply:
		switch {
		case code == 334:
			c.phase = PhaseAuth
		case code == 235:
			c.authed = true
			c.phase = c.idle()
		case c.phase == PhaseAuth:
			c.phase = c.idle()
		}
	case "MAIL":
		if ok {
			c.resetTransaction()
			c.mailFrom = p.cmd.Path
			body, _ := p.cmd.Param("BODY")
			c.body8bit = asciiUpper(body) == "8BITMIME" || asciiUpper(body) == "BINARYMIME"
			_, c.utf8 = p.cmd.Param("SMTPUTF8")
			c.phase = PhaseMail
		}
	case "RCPT":
		if ok {
			c.rcpts = append(c.rcpts, p.cmd.Path)
			if c.phase == PhaseMail {
				c.phase = PhaseRcpt
			}
		} else {
			c.refused = append(c.refused, p.cmd.Path)
		}
	case "DATA":
		if code == 354 {
			c.msg = message{}
			c.phase = PhaseData
		}
	case kindEndOfData:
		// After the final reply to the dot the transaction is over, accepted
		// or not (RFC 5321 §4.1.1.4).
		c.resetTransaction()
		c.phase = c.idle()
	case "BDAT":
		switch {
		case ok && p.cmd.Last:
			c.resetTransaction()
			c.phase = c.idle()
		case ok:
			c.bdat = true
			c.phase = PhaseBDAT
		}
	case "RSET":
		if ok {
			c.resetTransaction()
			c.phase = c.idle()
		}
	case "STARTTLS":
		if code == 220 {
			c.phase = PhaseStartTLS
		}
	case "QUIT":
		c.phase = PhaseClosing
	}
}

// optimistic is the reply a pending line gets if all goes well.
func optimistic(p pending) int {
	switch p.to() {
	case kindGreeting, "STARTTLS":
		return 220
	case "DATA":
		return 354
	case "QUIT":
		return 221
	case "AUTH", kindAuthReply:
		return 235
	}
	return 250
}
