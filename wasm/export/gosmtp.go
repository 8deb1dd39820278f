package export

import (
	"strconv"
	"strings"
)

// goLoginAuth is AUTH LOGIN for a Go export: net/smtp has only PLAIN and
// CRAM-MD5.
const goLoginAuth = `
// loginAuth is AUTH LOGIN, which net/smtp lacks: the user name and the
// password, each answering a prompt. Like smtp.PlainAuth it sends them only
// over TLS or to localhost.
type loginAuth struct {
	username, password string
	step               int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && server.Name != "localhost" && server.Name != "127.0.0.1" && server.Name != "::1" {
		return "", nil, errors.New("unencrypted connection")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.username), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected prompt %q", fromServer)
}
`

// Go returns a complete Go program (package main, standard library only)
// that repeats s with net/smtp. net/smtp dot-stuffs the message itself, so
// the program holds it as written. net/smtp's PlainAuth refuses to send the
// password over a connection without TLS unless the host is localhost; the
// program says so where that applies. The result is gofmt-formatted.
func Go(s Session) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	tls := s.tlsMode()
	var b script
	w := b.line
	q := strconv.Quote
	w("// Command smtplay-session repeats an smtplay session with net/smtp.",
		"package main",
		"")
	// Not in the doc comment, where gofmt would reflow indented lines.
	if c := s.commentLines("// "); len(c) > 0 {
		w(c...)
		w("")
	}
	w("import (")
	if tls != TLSNone {
		w(`"crypto/tls"`)
	}
	if s.Auth == AuthLogin {
		w(`"errors"`, `"fmt"`)
	}
	w(`"io"`, `"log"`, `"net/smtp"`)
	if s.Auth != AuthNone && s.Password == "" {
		w(`"os"`)
	}
	w(")",
		"",
		"func main() {",
		"const host = "+q(s.Host),
		"const addr = "+q(s.addr()),
		"const ehlo = "+q(s.ehlo()))
	if s.Auth != AuthNone {
		w("username := " + q(s.Username))
		if s.Password != "" {
			w("password := " + q(s.Password))
		} else {
			w("// The password was not revealed: the program reads it from the environment.",
				"password := os.Getenv("+q(PasswordEnv)+")",
				`if password == "" {`,
				"log.Fatal("+q("set "+PasswordEnv+" to the password first")+")",
				"}")
		}
	}
	to := make([]string, len(s.To))
	for i, t := range s.To {
		to[i] = q(t)
	}
	w("from := "+q(s.From),
		"to := []string{"+strings.Join(to, ", ")+"}",
		"// The message as written; net/smtp doubles a leading \".\" itself.",
		"lines := []string{")
	for _, l := range s.Message() {
		w(q(l) + ",")
	}
	w("}", "")
	if tls != TLSNone {
		w("tlsConfig := &tls.Config{ServerName: host}")
		if s.Sandbox {
			w("// The sandbox's certificate is self-signed, so it is not verified.",
				"// Never turn verification off for a real server.",
				"tlsConfig.InsecureSkipVerify = true")
		}
	}
	if tls == TLSImplicit {
		w("conn, err := tls.Dial(\"tcp\", addr, tlsConfig)",
			"check(err)",
			"c, err := smtp.NewClient(conn, host)")
	} else {
		w("c, err := smtp.Dial(addr)")
	}
	w("check(err)",
		"defer c.Close()",
		"check(c.Hello(ehlo))")
	if tls == TLSStartTLS {
		w("check(c.StartTLS(tlsConfig)) // then net/smtp sends EHLO again")
	}
	switch s.Auth {
	case AuthPlain:
		if tls == TLSNone {
			w("// smtp.PlainAuth sends the password only over TLS or to localhost:",
				"// without TLS to another host it stops here with \"unencrypted connection\".")
		}
		w(`check(c.Auth(smtp.PlainAuth("", username, password, host)))`)
	case AuthLogin:
		w("check(c.Auth(&loginAuth{username: username, password: password}))")
	}
	w("check(c.Mail(from))",
		"for _, rcpt := range to {",
		"check(c.Rcpt(rcpt))",
		"}",
		"data, err := c.Data()",
		"check(err)",
		"for _, line := range lines {",
		`_, err := io.WriteString(data, line+"\r\n")`,
		"check(err)",
		"}",
		"check(data.Close()) // the final \".\" and its reply",
		"check(c.Quit())",
		"}",
		"",
		"func check(err error) {",
		"if err != nil {",
		"log.Fatal(err)",
		"}",
		"}")
	login := ""
	if s.Auth == AuthLogin {
		login = goLoginAuth
	}
	return gofmtIndent(b.String()) + login, nil
}

// gofmtIndent indents generated Go as gofmt does, by bracket depth: every
// line of the generator opens or closes at most one block, at its end or its
// start. It spares the page go/format, which is large in WebAssembly.
func gofmtIndent(src string) string {
	var b strings.Builder
	depth := 0
	for _, l := range strings.SplitAfter(src, "\n") {
		t := strings.TrimRight(l, "\n")
		if t == "" {
			b.WriteString(l)
			continue
		}
		if strings.HasPrefix(t, "}") || strings.HasPrefix(t, ")") {
			depth--
		}
		b.WriteString(strings.Repeat("\t", depth) + l)
		if strings.HasSuffix(t, "{") || strings.HasSuffix(t, "(") {
			depth++
		}
	}
	return b.String()
}
