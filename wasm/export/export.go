// Package export turns what an smtplay session did into code that repeats
// it: a swaks command line, a PHP script on fsockopen that checks every reply,
// Python smtplib, a Go net/smtp program, and openssl s_client steps.
//
// The page fills a Session from the engine's transcript with FromTranscript
// (the EHLO name, STARTTLS or implicit TLS, the accepted AUTH, MAIL, the
// accepted RCPTs and the lines between DATA's 354 and the final dot), sets
// the server's address, and calls one generator per format: Swaks, PHP,
// Python, Go, OpenSSL (or Generate with a Format). Credentials never appear in generated code unless the person
// revealed them: without Session.Password the code reads the password from
// the environment variable PasswordEnv.
//
// Only the sandbox is connected to without verifying its certificate (it is
// self-signed); code for any other target verifies the server's certificate.
//
// The package is pure Go: no syscall/js, tested with plain go test.
package export

import (
	"errors"
	"strconv"
	"strings"
)

// TLS modes of a Session.
const (
	TLSNone     = "none"     // plain TCP, no TLS at all
	TLSStartTLS = "starttls" // plain TCP upgraded with STARTTLS
	TLSImplicit = "implicit" // TLS from the first byte (SMTPS, port 465)
)

// AUTH mechanisms a Session may use.
const (
	AuthNone  = ""
	AuthPlain = "PLAIN"
	AuthLogin = "LOGIN"
)

// PasswordEnv is the environment variable generated code reads the password
// from when the person did not reveal it.
const PasswordEnv = "SMTP_PASSWORD"

// Session is what a session did, as much as code needs to repeat it.
type Session struct {
	// Host and Port are the server's address as a real client reaches it
	// (for the sandbox: its -sandbox-smtp listener).
	Host string `json:"host"`
	Port int    `json:"port"`
	// Sandbox is true when the target is smtplay's sandbox, whose
	// certificate is self-signed: only then does generated code skip
	// certificate verification.
	Sandbox bool `json:"sandbox"`
	// TLS is TLSNone, TLSStartTLS or TLSImplicit; empty means TLSNone.
	TLS string `json:"tls"`
	// EHLO is the name given in EHLO.
	EHLO string `json:"ehlo"`
	// Auth is the AUTH mechanism (AuthPlain or AuthLogin), empty for none.
	Auth string `json:"auth,omitempty"`
	// Username is the AUTH user name.
	Username string `json:"username,omitempty"`
	// Password is the AUTH password, set only when the person revealed it;
	// when empty, generated code reads PasswordEnv.
	Password string `json:"password,omitempty"`
	// From is the envelope sender (MAIL FROM), without angle brackets; empty
	// for the null sender <>.
	From string `json:"from"`
	// To are the envelope recipients (RCPT TO), without angle brackets.
	To []string `json:"to"`
	// Data are the lines between DATA's 354 and the final ".", without line
	// endings, as they went on the wire: dot-stuffed, as the transcript
	// shows them.
	Data []string `json:"data"`
	// Comment is said to the person at the top of the code, as comment
	// lines wrapped at commentWidth (in the page's language: the code
	// carries it wherever it is copied). Its own line breaks are kept, and
	// a line's leading spaces (a command to type, indented).
	Comment string `json:"comment,omitempty"`
}

// commentWidth is where Comment's lines are wrapped.
const commentWidth = 76

// commentLines is Comment in lines of at most commentWidth characters
// (longer words stand alone), each after prefix; none without a Comment.
func (s Session) commentLines(prefix string) []string {
	var lines []string
	for _, para := range strings.Split(s.Comment, "\n") {
		indent := para[:len(para)-len(strings.TrimLeft(para, " "))]
		cur := ""
		for _, w := range strings.Fields(para) {
			if cur != "" && len([]rune(indent+cur))+1+len([]rune(w)) > commentWidth {
				lines = append(lines, prefix+indent+cur)
				cur = ""
			}
			if cur != "" {
				cur += " "
			}
			cur += w
		}
		if cur != "" {
			lines = append(lines, prefix+indent+cur)
		}
	}
	return lines
}

// Errors of Validate.
var (
	ErrNoHost      = errors.New("export: no server host")
	ErrPort        = errors.New("export: port out of range")
	ErrTLSMode     = errors.New("export: unknown TLS mode")
	ErrMechanism   = errors.New("export: unsupported AUTH mechanism (PLAIN or LOGIN)")
	ErrNoUsername  = errors.New("export: AUTH without a user name")
	ErrNoRecipient = errors.New("export: no recipient")
	ErrLineBreak   = errors.New("export: CR or LF inside a field or line")
	ErrNeedsTLS    = errors.New("export: openssl s_client steps need STARTTLS or implicit TLS")
)

// Validate reports whether s can be turned into code.
func (s Session) Validate() error {
	if s.Host == "" {
		return ErrNoHost
	}
	if s.Port < 1 || s.Port > 65535 {
		return ErrPort
	}
	switch s.TLS {
	case "", TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return detailError{ErrTLSMode, s.TLS}
	}
	switch s.Auth {
	case AuthNone:
	case AuthPlain, AuthLogin:
		if s.Username == "" {
			return ErrNoUsername
		}
	default:
		return detailError{ErrMechanism, s.Auth}
	}
	if len(s.To) == 0 {
		return ErrNoRecipient
	}
	fields := append([]string{s.Host, s.EHLO, s.Username, s.Password, s.From}, s.To...)
	for _, f := range append(fields, s.Data...) {
		if strings.ContainsAny(f, "\r\n") {
			return ErrLineBreak
		}
	}
	return nil
}

// tlsMode is s.TLS with the empty default resolved.
func (s Session) tlsMode() string {
	if s.TLS == "" {
		return TLSNone
	}
	return s.TLS
}

// ehlo is the EHLO name, "localhost" when none was recorded.
func (s Session) ehlo() string {
	if s.EHLO == "" {
		return "localhost"
	}
	return s.EHLO
}

// addr is host:port, brackets around an IPv6 host.
func (s Session) addr() string {
	if strings.Contains(s.Host, ":") {
		return "[" + s.Host + "]:" + strconv.Itoa(s.Port)
	}
	return s.Host + ":" + strconv.Itoa(s.Port)
}

// Message returns the message content as the server stored it: Data with
// the dot-stuffing undone (one leading "." removed, RFC 5321 §4.5.2), as
// libraries that stuff themselves want it.
func (s Session) Message() []string {
	out := make([]string, len(s.Data))
	for i, l := range s.Data {
		if strings.HasPrefix(l, ".") {
			l = l[1:]
		}
		out[i] = l
	}
	return out
}

// Format names one kind of export.
type Format string

// The formats Generate knows.
const (
	FormatSwaks   Format = "swaks"
	FormatPHP     Format = "php"
	FormatPython  Format = "python"
	FormatGo      Format = "go"
	FormatOpenSSL Format = "openssl"
)

// Formats lists every format, in the order the page offers them.
var Formats = []Format{FormatSwaks, FormatPHP, FormatPython, FormatGo, FormatOpenSSL}

// Generate returns the code of one format for s.
func Generate(f Format, s Session) (string, error) {
	switch f {
	case FormatSwaks:
		return Swaks(s)
	case FormatPHP:
		return PHP(s)
	case FormatPython:
		return Python(s)
	case FormatGo:
		return Go(s)
	case FormatOpenSSL:
		return OpenSSL(s)
	}
	return "", errors.New("export: unknown format " + strconv.Quote(string(f)))
}

// script collects a generated program, line by line.
type script struct{ strings.Builder }

// line appends each of lines and a newline.
func (s *script) line(lines ...string) {
	for _, l := range lines {
		s.WriteString(l)
		s.WriteByte('\n')
	}
}

// detailError is err with the value that caused it, quoted: "export:
// unknown TLS mode: \"tls1\"". errors.Is finds err.
type detailError struct {
	err   error
	value string
}

func (e detailError) Error() string { return e.err.Error() + ": " + strconv.Quote(e.value) }

func (e detailError) Unwrap() error { return e.err }
