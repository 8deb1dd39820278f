package sandbox

import (
	"crypto/subtle"

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

// checkLogin accepts the practice login only. An authorisation identity, if
// given, must be the username: nobody may act for someone else.
func checkLogin(identity, username, password string) error {
	userOK := subtle.ConstantTimeCompare([]byte(username), []byte(demoUsername)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(password), []byte(demoPassword)) == 1
	if !userOK || !passOK || (identity != "" && identity != username) {
		return errAuthFailed
	}
	return nil
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
