package export

import (
	"strconv"
	"strings"
)

// Python returns a Python 3 script that repeats s with smtplib. smtplib
// dot-stuffs the message itself, so the script holds it as written; it goes
// as UTF-8 bytes, since smtplib refuses non-ASCII text. AUTH uses the
// session's mechanism, not smtplib's own choice.
func Python(s Session) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	tls := s.tlsMode()
	var b script
	w := b.line
	w("#!/usr/bin/env python3")
	w(s.commentLines("# ")...)
	w(`"""Repeats an smtplay session with smtplib."""`,
		"")
	if s.Auth != AuthNone && s.Password == "" {
		w("import os")
	}
	w("import smtplib")
	if tls != TLSNone {
		w("import ssl")
	}
	w("",
		"HOST = "+pyQuote(s.Host),
		"PORT = "+strconv.Itoa(s.Port),
		"EHLO = "+pyQuote(s.ehlo()))
	if s.Auth != AuthNone {
		w("USERNAME = " + pyQuote(s.Username))
		if s.Password != "" {
			w("PASSWORD = " + pyQuote(s.Password))
		} else {
			w("# The password was not revealed: the script reads it from the environment.",
				`PASSWORD = os.environ["`+PasswordEnv+`"]`)
		}
	}
	to := make([]string, len(s.To))
	for i, t := range s.To {
		to[i] = pyQuote(t)
	}
	w("FROM = "+pyQuote(s.From),
		"TO = ["+strings.Join(to, ", ")+"]",
		"# The message as written; smtplib doubles a leading \".\" itself.",
		"LINES = [")
	for _, l := range s.Message() {
		w("    " + pyQuote(l) + ",")
	}
	w("]",
		`MESSAGE = ("\r\n".join(LINES) + "\r\n").encode("utf-8")`,
		"")
	if tls != TLSNone {
		w("context = ssl.create_default_context()")
		if s.Sandbox {
			w("# The sandbox's certificate is self-signed, so it is not verified.",
				"# Never turn verification off for a real server.",
				"context.check_hostname = False",
				"context.verify_mode = ssl.CERT_NONE")
		}
		w("")
	}
	switch tls {
	case TLSImplicit:
		w("with smtplib.SMTP_SSL(HOST, PORT, local_hostname=EHLO, timeout=30, context=context) as smtp:")
	default:
		w("with smtplib.SMTP(HOST, PORT, local_hostname=EHLO, timeout=30) as smtp:")
	}
	w("    smtp.set_debuglevel(1)  # print the conversation",
		"    smtp.ehlo()")
	if tls == TLSStartTLS {
		w("    smtp.starttls(context=context)",
			"    smtp.ehlo()  # after STARTTLS the server forgets the session: EHLO again")
	}
	if s.Auth != AuthNone {
		w("    smtp.set_debuglevel(0)  # the AUTH lines carry the password: do not print them",
			"    smtp.user, smtp.password = USERNAME, PASSWORD")
		if s.Auth == AuthPlain {
			w(`    smtp.auth("PLAIN", smtp.auth_plain)`)
		} else {
			w(`    smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)`)
		}
		w("    smtp.set_debuglevel(1)")
	}
	w("    # sendmail raises unless a recipient is accepted; it returns those refused.",
		"    refused = smtp.sendmail(FROM, TO, MESSAGE)",
		"    if refused:",
		`        raise SystemExit(f"refused: {refused}")`)
	return b.String(), nil
}
