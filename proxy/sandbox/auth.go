package sandbox

import (
	"crypto/subtle"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The practice login, shown on the page.
const (
	demoUsername = "student"
	demoPassword = "practice"
)

// authMechanisms are the SASL mechanisms offered, in EHLO order, and how
// each one's server is made.
var authMechanisms = []struct {
	name string
	make func(check func(identity, username, password string) error) sasl.Server
}{
	{sasl.Plain, func(check func(identity, username, password string) error) sasl.Server {
		return plainServer{sasl.NewPlainServer(check)}
	}},
	{sasl.Login, func(check func(identity, username, password string) error) sasl.Server {
		return &loginServer{check: func(u, p string) error { return check("", u, p) }}
	}},
}

// checkLogin accepts the practice login only, its user name optionally
// followed by "+TOKEN" (auth_mailbox.go). An authorisation identity, if
// given, must be the username: nobody may act for someone else.
//
// The name and password are compared byte for byte, as Postfix (through
// Cyrus SASL or Dovecot) and Dovecot do: "c3R1ZGVudAo=", the base64 that
// echo without -n makes, decodes to "student\n", which is not "student", and
// is refused with 535 5.7.8 like any wrong login. Only the words of the
// reply say that a trailing newline was the difference.
func checkLogin(identity, username, password string) error {
	if !sameLogin(identity, username, password) {
		if sameLogin(strings.TrimRight(identity, "\r\n"), strings.TrimRight(username, "\r\n"), strings.TrimRight(password, "\r\n")) {
			return errAuthNewline
		}
		return errAuthFailed
	}
	return nil
}

// sameLogin reports whether the login is exactly the practice login.
func sameLogin(identity, username, password string) bool {
	name, _ := splitLogin(username)
	userOK := subtle.ConstantTimeCompare([]byte(name), []byte(demoUsername)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(password), []byte(demoPassword)) == 1
	return userOK && passOK && (identity == "" || identity == username)
}

// plainServer is go-sasl's PLAIN server with its parse errors turned into a
// reply a student can act on (go-smtp would send "454 4.7.0 sasl: invalid
// response").
type plainServer struct{ sasl.Server }

func (p plainServer) Next(response []byte) ([]byte, bool, error) {
	challenge, done, err := p.Server.Next(response)
	if _, ok := err.(*smtp.SMTPError); err != nil && !ok {
		err = errAuthMalformed
	}
	return challenge, done, err
}
