package sandbox

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// smtpVerbs are the commands passed to go-smtp. go-smtp answers SEND, SOML,
// SAML, TURN and EXPN with 502 (not implemented), which is right.
var smtpVerbs = map[string]bool{
	"HELO": true, "EHLO": true, "LHLO": true, "MAIL": true, "RCPT": true,
	"DATA": true, "BDAT": true, "RSET": true, "NOOP": true, "VRFY": true,
	"QUIT": true, "AUTH": true, "EXPN": true, "SEND": true, "SOML": true,
	"SAML": true, "TURN": true,
}

// localCommands are answered by the sandbox itself. handoff reports that the
// connection moved to a new segment (STARTTLS).
var localCommands = map[string]func(c *clientConn, arg string) (handoff bool, err error){
	"STARTTLS": (*clientConn).startTLS,
	"HELP":     (*clientConn).help,
}

// needsArgument are the commands go-smtp answers even without their
// argument, with the syntax error RFC 5321 section 4.1.1 and Postfix give.
var needsArgument = map[string]string{
	"VRFY": replyVRFYSyntax,
}

// command looks at one command line (CRLF included) and reports whether to
// pass it to go-smtp. Lines go-smtp would count towards its "too many
// errors" disconnect (empty, unknown verbs) are answered here instead: a
// student's typos should teach, not end the session.
func (c *clientConn) command(line []byte) (pass bool, err error) {
	text := string(line[:len(line)-2])
	verb, arg, _ := strings.Cut(text, " ")
	verb = strings.ToUpper(verb)
	arg = strings.TrimSpace(arg)
	if len(line) > maxCommandLine && verb != "AUTH" {
		return false, c.reply(replyCommandTooLong)
	}
	if f, ok := localCommands[verb]; ok {
		handoff, err := f(c, arg)
		if err == nil && handoff {
			err = io.EOF // go-smtp's end of this segment
		}
		return false, err
	}
	if text == "" {
		return false, c.reply(replyEmptyLine)
	}
	if !smtpVerbs[verb] {
		return false, c.reply(fmt.Sprintf(replyUnknownCommand, printable(verb, 24)))
	}
	if reply, ok := needsArgument[verb]; ok && arg == "" {
		return false, c.reply(reply)
	}
	if verb == "EHLO" || verb == "HELO" {
		if e := c.prof.refusal(ruleHelloName, arg != "" && !validHelloName(arg)); e != nil {
			return false, c.reply(errorLine(e))
		}
	}
	c.lastVerb = verb
	switch verb {
	case "MAIL", "RCPT":
		c.bracketed = bracketedPath(arg)
	case "EHLO", "HELO":
		c.mu.Lock()
		c.greetVerb = verb
		c.mu.Unlock()
	case "BDAT":
		if n, ok := bdatChunkSize(arg); ok && n > 0 {
			c.mode = modeChunk
			c.chunkLeft = n
		}
	}
	return true, nil
}

// bdatChunkSize tells how many chunk bytes follow a BDAT command, exactly as
// go-smtp v0.25.1 decides whether to read them (conn.go, handleBdat).
func bdatChunkSize(arg string) (int64, bool) {
	args := strings.Fields(arg)
	if len(args) == 0 || len(args) > 2 {
		return 0, false
	}
	if len(args) == 2 && !strings.EqualFold(args[1], "LAST") {
		return 0, false
	}
	n, err := strconv.ParseUint(args[0], 10, 32)
	if err != nil {
		return 0, false
	}
	return int64(n), true
}

// help answers HELP [topic] with 214 (RFC 5321 section 4.1.1.8).
func (c *clientConn) help(arg string) (bool, error) {
	lines, ok := helpText(c.sb, c.prof, arg)
	if !ok {
		return false, c.reply(fmt.Sprintf(replyNoHelp, printable(arg, 24)))
	}
	return false, c.reply(multiline(214, "2.0.0", lines)...)
}

// multiline formats a reply of several lines, each with the enhanced code
// (RFC 2034 section 4).
func multiline(code int, enhanced string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		out[i] = fmt.Sprintf("%d%s%s %s", code, sep, enhanced, l)
	}
	return out
}

// printable shortens s and replaces anything but printable ASCII, so a
// client's words can be echoed in a reply.
func printable(s string, max int) string {
	return string(appendPrintable(nil, s, max))
}

// appendPrintable appends printable(s, max) to dst.
func appendPrintable(dst []byte, s string, max int) []byte {
	for i, r := range s {
		if i >= max {
			return append(dst, "..."...)
		}
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		dst = append(dst, byte(r))
	}
	return dst
}
