package sandbox

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/emersion/go-smtp"
)

// newSMTPServer configures go-smtp for the sandbox. It has no TLSConfig on
// purpose: clientConn does STARTTLS (starttls.go), and AllowInsecureAuth
// leaves the AUTH-before-TLS rule to the profile (session.AuthMechanisms).
func newSMTPServer(sb *Sandbox) *smtp.Server {
	srv := smtp.NewServer(backend{sb})
	srv.Domain = sb.cfg.Hostname
	srv.MaxMessageBytes = sb.cfg.MaxMessageBytes
	srv.MaxRecipients = sb.cfg.MaxRecipients
	// clientConn enforces the RFC limits first; go-smtp's is a backstop
	// above the longest line clientConn lets through.
	srv.MaxLineLength = readBufferSize
	srv.AllowInsecureAuth = true
	srv.EnableSMTPUTF8 = true
	// DSN (RFC 3461): go-smtp parses RET, ENVID, NOTIFY and ORCPT; the
	// session keeps them and dsn.go makes the reports they ask for.
	srv.EnableDSN = true
	srv.ReadTimeout = commandTimeout
	srv.WriteTimeout = writeTimeout
	srv.ErrorLog = errorLog{sb.log}
	return srv
}

// backend makes a session for each segment go-smtp serves.
type backend struct{ sb *Sandbox }

// NewSession implements smtp.Backend.
func (b backend) NewSession(conn *smtp.Conn) (smtp.Session, error) {
	switch g := conn.Conn().(type) {
	case *segment:
		return &session{sb: b.sb, c: g.c, conn: conn}, nil
	case *parkable:
		g.sess = &session{sb: b.sb, c: g.c, conn: conn}
		return g.sess, nil
	}
	return nil, errors.New("sandbox: connection not made by the sandbox")
}

// errorLog sends go-smtp's internal errors to the operator's log at debug
// level. go-smtp logs connection errors and panics, never message bytes.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Printf(format string, v ...any) {
	l.log.Debug("sandbox: go-smtp: " + fmt.Sprintf(format, v...))
}

func (l errorLog) Println(v ...any) {
	l.log.Debug("sandbox: go-smtp: " + fmt.Sprint(v...))
}
