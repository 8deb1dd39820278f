package sandbox

import (
	"fmt"
	"strings"
)

// helpTopics answers HELP <topic>, one entry per command.
var helpTopics = map[string][]string{
	"EHLO": {"EHLO <your-domain>: greet the server and get the list of its extensions (RFC 5321 section 4.1.1.1)"},
	"HELO": {"HELO <your-domain>: the older greeting, with no extensions (RFC 5321 section 4.1.1.1)"},
	"STARTTLS": {"STARTTLS: turn this connection into a TLS one, then say EHLO again:",
		"the server forgets everything said before TLS (RFC 3207)"},
	"AUTH": {"AUTH PLAIN [base64 of NUL username NUL password], or AUTH LOGIN: log in (RFC 4954)",
		"The server's 334 lines are base64 questions; answer each with a base64 line, or * to give up"},
	"MAIL": {"MAIL FROM:<address>: start a message and give its return path (RFC 5321 section 4.1.1.2)"},
	"RCPT": {"RCPT TO:<address>: add a recipient; one command per recipient (RFC 5321 section 4.1.1.3)",
		"Some local parts are practice faults: see HELP faults"},
	"DATA": {"DATA: after the 354 reply send the message: header lines, an empty line, the body,",
		"and a line holding only a dot. A body line starting with a dot gets a second dot (RFC 5321 section 4.5.2)"},
	"BDAT": {"BDAT <size> [LAST]: send the message in chunks of exactly size octets (RFC 3030);",
		"the page's tunnel does not carry BDAT, real clients on the TCP listener may use it"},
	"RSET": {"RSET: forget the message being prepared and start over (RFC 5321 section 4.1.1.5)"},
	"NOOP": {"NOOP: do nothing; the server answers 250 (RFC 5321 section 4.1.1.9)"},
	"VRFY": {"VRFY <address>: ask whether an address exists; like most servers this one answers 252",
		"without saying, so that spammers cannot harvest addresses (RFC 5321 section 4.1.1.6)"},
	"HELP": {"HELP [topic]: this help (RFC 5321 section 4.1.1.8); HELP faults lists the practice faults"},
	"QUIT": {"QUIT: end the session; the server answers 221 and closes (RFC 5321 section 4.1.1.10)"},
}

// helpText is the text of HELP arg, and whether the topic exists.
func helpText(sb *Sandbox, p *profile, arg string) ([]string, bool) {
	topic := strings.ToUpper(strings.TrimSpace(arg))
	switch topic {
	case "":
		return []string{
			fmt.Sprintf("%s, smtplay practice server, profile %s:", sb.cfg.Hostname, p.name),
			p.description,
			"Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT",
			"A session: EHLO, STARTTLS, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, QUIT",
			fmt.Sprintf("Practice login: %s / %s. HELP <command> explains one; HELP faults lists fault addresses",
				demoUsername, demoPassword),
		}, true
	case "FAULTS":
		return faultHelp(), true
	}
	lines, ok := helpTopics[topic]
	return lines, ok
}
