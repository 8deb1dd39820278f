package export

import (
	"encoding/base64"
	"strings"
)

// Steps are openssl s_client steps: a command to start, then lines to type.
type Steps struct {
	// Notes are remarks to read first, without the leading "# ".
	Notes []string `json:"notes"`
	// Command is the s_client command line, quoted for a POSIX shell.
	Command string `json:"command"`
	// Lines are what to type once the connection is up, one at a time after
	// the server's reply, as they go on the wire (dot-stuffed).
	Lines []string `json:"lines"`
}

// OpenSSLSteps returns the openssl s_client steps that repeat s by hand. It
// needs TLS: with STARTTLS s_client sends EHLO and STARTTLS itself
// (-starttls smtp, -name), with implicit TLS it connects in TLS. AUTH lines
// hold the base64 credentials when the password was revealed; otherwise a
// placeholder, and a note says how to make the line.
func OpenSSLSteps(s Session) (Steps, error) {
	if err := s.Validate(); err != nil {
		return Steps{}, err
	}
	tls := s.tlsMode()
	if tls == TLSNone {
		return Steps{}, ErrNeedsTLS
	}
	var st Steps
	note := func(n ...string) { st.Notes = append(st.Notes, n...) }
	args := []string{"openssl", "s_client"}
	if tls == TLSStartTLS {
		args = append(args, "-starttls", "smtp")
	}
	args = append(args, "-connect", s.addr())
	if tls == TLSStartTLS {
		args = append(args, "-name", s.ehlo())
	}
	args = append(args, "-crlf", "-quiet")
	if s.Sandbox {
		note("The sandbox's certificate is self-signed: s_client reports it and goes on,",
			"which is right only for the sandbox.")
	} else {
		args = append(args, "-verify_return_error", "-verify_hostname", s.Host)
		note("-verify_return_error -verify_hostname: the certificate must be valid for the host.")
	}
	if tls == TLSStartTLS {
		note("-starttls smtp: s_client reads the greeting and sends EHLO (named by -name) and",
			"STARTTLS itself; after the handshake the server forgets the session: EHLO again.")
	}
	note("-crlf: Enter sends CRLF, as SMTP wants. -quiet: no certificate dump, and a line",
		"starting with R or Q is sent, not taken as an s_client command (renegotiate, quit).")
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shQuote(a)
	}
	st.Command = strings.Join(quoted, " ")

	b64 := func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }
	pwNote := func(line, printf string) {
		note("The password was not revealed: make the "+line+" line with",
			"  "+printf+" | openssl base64 -A; echo")
	}
	st.Lines = append(st.Lines, "EHLO "+s.ehlo())
	switch s.Auth {
	case AuthPlain:
		if s.Password != "" {
			st.Lines = append(st.Lines, "AUTH PLAIN "+b64("\x00"+s.Username+"\x00"+s.Password))
		} else {
			pwNote("AUTH PLAIN", `printf 'AUTH PLAIN '; printf '\0%s\0%s' `+shQuote(s.Username)+` "$`+PasswordEnv+`"`)
			st.Lines = append(st.Lines, `AUTH PLAIN <base64 of \0user name\0password>`)
		}
	case AuthLogin:
		st.Lines = append(st.Lines, "AUTH LOGIN", b64(s.Username))
		if s.Password != "" {
			st.Lines = append(st.Lines, b64(s.Password))
		} else {
			pwNote("password", `printf '%s' "$`+PasswordEnv+`"`)
			st.Lines = append(st.Lines, "<base64 of the password>")
		}
	}
	st.Lines = append(st.Lines, "MAIL FROM:<"+s.From+">")
	for _, t := range s.To {
		st.Lines = append(st.Lines, "RCPT TO:<"+t+">")
	}
	st.Lines = append(st.Lines, "DATA")
	st.Lines = append(st.Lines, s.Data...)
	st.Lines = append(st.Lines, ".", "QUIT")
	return st, nil
}

// OpenSSL returns the openssl s_client steps that repeat s as text: notes as
// shell comments, the command, then the lines to type.
func OpenSSL(s Session) (string, error) {
	st, err := OpenSSLSteps(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# Repeats an smtplay session by hand with openssl s_client.\n")
	for _, l := range s.commentLines("# ") {
		b.WriteString(l + "\n")
	}
	for _, n := range st.Notes {
		b.WriteString("# " + n + "\n")
	}
	b.WriteString(st.Command + "\n")
	b.WriteString("# Then type these lines, each after the server's reply:\n")
	for _, l := range st.Lines {
		b.WriteString(l + "\n")
	}
	return b.String(), nil
}
