package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is go-smtp's view of one segment of a connection (see
// starttls.go): it holds the login and the mail transaction.
type session struct {
	sb   *Sandbox
	c    *clientConn
	conn *smtp.Conn

	user      string   // after a successful AUTH
	inbox     *mailbox // the mailbox a "+TOKEN" login picked, attached; nil: c.box
	from      *string  // after MAIL
	opts      *smtp.MailOptions
	rcpts     []recipient
	dataFault *fault // reject@ or drop@ among the recipients
}

var _ smtp.AuthSession = (*session)(nil)

// AuthMechanisms implements smtp.AuthSession. Listing none hides AUTH from
// the EHLO reply (sandbox-strict before STARTTLS).
func (s *session) AuthMechanisms() []string {
	if !s.c.prof.authOffered(s.c.isTLS()) {
		return nil
	}
	names := make([]string, len(authMechanisms))
	for i, m := range authMechanisms {
		names[i] = m.name
	}
	return names
}

// Auth implements smtp.AuthSession.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if !s.c.prof.authOffered(s.c.isTLS()) {
		return nil, rules[ruleTLSFirst].err
	}
	if s.from != nil {
		return nil, errAuthInMail
	}
	for _, m := range authMechanisms {
		if m.name == mech {
			return m.make(s.login), nil
		}
	}
	return nil, errAuthMechanism
}

func (s *session) login(identity, username, password string) error {
	if err := checkLogin(identity, username, password); err != nil {
		return err
	}
	box, err := s.loginMailbox(username)
	if err != nil {
		return err
	}
	s.inbox = box
	s.user = username
	return nil
}

// Mail implements smtp.Session. go-smtp has checked EHLO and the syntax.
func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if s.from != nil {
		return errNestedMail
	}
	// The profile's rules, in the order Postfix checks them: TLS, the
	// address syntax, the login.
	for _, r := range []struct {
		id     ruleID
		broken bool
	}{
		{ruleTLSFirst, !s.c.isTLS()},
		{ruleMailBrackets, !s.c.bracketed},
		{ruleAuthFirst, s.user == ""},
	} {
		if e := s.c.prof.refusal(r.id, r.broken); e != nil {
			return e
		}
	}
	if err := s.sb.store.admit(s.c.client); err != nil {
		return err
	}
	s.from = &from
	s.opts = opts
	return nil
}

// Rcpt implements smtp.Session. Every recipient is local to the sandbox;
// a practice fault may answer instead (faults.go). opts holds its DSN
// parameters, which go-smtp has checked (dsn.go).
func (s *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if e := s.c.prof.refusal(ruleRcptBrackets, !s.c.bracketed); e != nil {
		return e
	}
	f := lookupFault(to)
	if f != nil {
		if f.pause {
			if err := s.pause(); err != nil {
				return err
			}
		}
		if !f.accept {
			return f.err(to)
		}
		switch {
		case f.stage == atRcpt:
			s.c.setOverride("250 ", f.reply(to))
		case s.dataFault == nil || f.drop:
			s.dataFault = f
		}
	}
	s.rcpts = append(s.rcpts, newRecipient(to, opts, f))
	return nil
}

// pause is slow@'s delay; it ends early if the connection or the sandbox
// does.
func (s *session) pause() error {
	t := time.NewTimer(s.sb.slowDelay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-s.c.done:
		return net.ErrClosed
	case <-s.sb.ctx.Done():
		return smtpError(421, 4, 3, 2, "Service shutting down")
	}
}

// errDropped ends DATA for drop@; the client gets no reply.
var errDropped = errors.New("sandbox: connection dropped (practice fault drop@)")

// Data implements smtp.Session. r gives the message dot-unstuffed, CRLF
// kept, and stops with smtp.ErrDataTooLarge past MaxMessageBytes.
func (s *session) Data(r io.Reader) error {
	text := s.c.takeText() // DATA, not BDAT
	if s.dataFault != nil && s.dataFault.drop {
		readUntilLF(r)
		s.c.abort()
		return errDropped
	}
	if text {
		r = newTextReader(s.c, s.sb.cfg.MaxMessageBytes) // text.go
	}
	in := s.sb.store.receive(r, s.c.client) // counted while it is read (store_inflight.go)
	defer in.release()
	msg, err := readData(in, declaredSize(s.opts, s.sb.cfg.MaxMessageBytes)) // dataread.go
	defer msg.release()
	lineErr := s.c.takeDataError()
	switch {
	case errors.Is(err, smtp.ErrDataTooLarge):
		return smtpError(552, 5, 3, 4, fmt.Sprintf(
			"Message too big: this server accepts at most %d octets (SIZE in the EHLO reply); message not stored",
			s.sb.cfg.MaxMessageBytes))
	case err != nil:
		return err // the connection is gone: nothing is stored
	case lineErr != nil:
		return lineErr
	case s.dataFault != nil:
		return s.dataFault.err("")
	}
	return s.deliver(msg)
}

// readUntilLF reads the first line of the message, so that drop@ closes
// the connection in the middle of DATA rather than before it.
func readUntilLF(r io.Reader) {
	var b [1]byte
	for {
		if _, err := r.Read(b[:]); err != nil || b[0] == '\n' {
			return
		}
	}
}

// deliver stores a message for the recipients it is delivered to (all but
// bounce@) and the delivery reports it asks for (dsn.go), tells the
// connection's owner, and sets the 250 reply go-smtp writes next. It keeps
// no reference to msg.data when that is a pooled chunk (dataread.go); the
// message's own slice it may keep.
func (s *session) deliver(msg dataBuf) error {
	data := msg.data
	tx := &transaction{id: newMessageID(), arrival: time.Now(), data: data, own: msg.own, rcpts: s.rcpts}
	if s.from != nil {
		tx.from = *s.from
	}
	if s.opts != nil {
		tx.envID, tx.ret = s.opts.EnvelopeID, s.opts.Return
	}
	var msgs []*storedMessage
	if to := tx.delivered(); len(to) > 0 {
		msgs = append(msgs, s.stored(tx, to))
	}
	reps, err := reports(s.sb.cfg.Hostname, tx)
	if err != nil {
		s.sb.log.Error("sandbox: making a delivery report", "id", tx.id, "err", err)
		return smtpError(451, 4, 3, 0, "Local error in processing: the delivery report could not be made; message not stored")
	}
	msgs = append(msgs, reps...)

	box := s.c.box
	if s.inbox != nil {
		box = s.inbox
	}
	dropped, err := s.sb.store.add(box, msgs, s.c.client)
	if err != nil {
		return err
	}
	if s.sb.log.Enabled(context.Background(), slog.LevelInfo) { // spares the arguments' allocations
		s.sb.log.Info("sandbox: message accepted", "id", tx.id, "size", len(data),
			"recipients", len(tx.rcpts), "reports", len(reps), "profile", s.c.prof.name)
	}
	if s.c.deliver != nil {
		for _, m := range msgs {
			s.c.deliver(Delivery{ID: m.id, From: m.from, To: append([]string(nil), m.to...), Subject: m.subject, Size: m.size})
		}
	}
	line := "250 2.0.0 Ok: queued as " + tx.id
	if dropped > 0 {
		line = "250 2.0.0 Ok: queued as " + tx.id + " (your mailbox keeps " +
			strconv.Itoa(s.sb.cfg.MaxMessages) + " messages: the oldest was removed)"
	}
	s.c.setOverride("250 ", line)
	return nil
}

// stored is the message as kept for recipients to: trace headers, then DATA.
func (s *session) stored(tx *transaction, to []string) *storedMessage {
	greetVerb, tlsOn := s.c.protocolState()
	m := &storedMessage{
		id:       tx.id,
		from:     tx.from,
		to:       to,
		subject:  subjectOf(tx.data),
		size:     len(tx.data),
		received: tx.arrival,
	}
	var tb [512]byte
	trace := appendTrace(tb[:0], traceInfo{
		from:     m.from,
		to:       m.to,
		helo:     s.conn.Hostname(),
		remote:   s.c.remote,
		host:     s.sb.cfg.Hostname,
		profile:  s.c.prof.name,
		id:       m.id,
		protocol: protocolName(greetVerb, tlsOn, s.user != "", s.opts != nil && s.opts.UTF8),
		received: tx.arrival,
	})
	if room := len(tx.own) - len(tx.data); len(trace) <= room {
		// DATA is in a slice of its own with room before it: the trace goes
		// there, and the message is not copied again.
		lead := room - len(trace)
		copy(tx.own[lead:], trace)
		m.raw, m.lead = tx.own[lead:], lead
		tx.own = nil // one message owns it
		return m
	}
	m.raw = append(append(make([]byte, 0, len(trace)+len(tx.data)), trace...), tx.data...)
	return m
}

// Reset implements smtp.Session (RSET, a new EHLO, the end of a message).
func (s *session) Reset() {
	s.from = nil
	s.opts = nil
	s.rcpts = nil
	s.dataFault = nil
}

// Logout implements smtp.Session: go-smtp calls it when the segment ends.
func (s *session) Logout() error {
	if s.inbox != nil {
		s.sb.store.detach(s.inbox)
		s.inbox = nil
	}
	return nil
}
