package tunnel

import (
	"context"
	"errors"
	"net"
	"strconv"
	"syscall"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// open handles the client's open: it finds the target, connects (with TLS
// first for implicit targets) and sends opened. It runs beside the client
// pump, which refuses binary frames until opened is sent, and reports
// whether the session goes on.
func (s *session) open(o *wire.Open) bool {
	t, r := s.resolve(o)
	if r != nil {
		s.end(endWith(r.code, r.said))
		return false
	}
	s.writeMu.Lock()
	s.target = t
	s.writeMu.Unlock()
	s.follow.guard = s.authGuard
	if t.Sandbox == "" {
		s.follow.quota = s.srv.cfg.Limits.Real
	}
	conn, remote, token, r := s.connect(t, o.Mailbox)
	if r != nil {
		s.end(endWith(r.code, r.said))
		return false
	}
	conn = s.startTap(o, conn)
	s.writeMu.Lock()
	if s.shut || s.ctx.Err() != nil { // the session ended while connecting
		s.writeMu.Unlock()
		_ = conn.Close()
		return false
	}
	s.conn, s.remote = conn, remote
	s.upGuard = newWriteGuard(s.srv.cfg.Limits.Idle, func() { _ = conn.Close() })
	s.writeMu.Unlock()
	s.srv.log.Info("session open", "client", s.client.String(), "target", t.Name, "remote", remote, "tls", string(t.TLS))
	s.srv.cfg.Observer.SessionOpened(t.Name)

	var info *wire.TLS
	if t.TLS == policy.TLSImplicit {
		tc, tinfo, why, ok := s.handshake(conn)
		if !ok {
			s.end(endWith(wire.TLSFailed, why))
			return false
		}
		s.writeMu.Lock()
		s.conn = tc
		s.writeMu.Unlock()
		info = tinfo
		s.follow.tlsStarted()
	}
	opened := wire.Opened{Type: wire.TypeOpened, Host: t.Host, Port: t.Port, Remote: remote, TLS: string(t.TLS), Mailbox: token, Wire: o.Wire}
	if t.Sandbox != "" {
		opened.Profile = s.srv.cfg.Sandbox.Profile(t.Sandbox)
	}
	s.phaseMu.Lock() // frames read from now on are forwarded (refuseEarly)
	s.opened = true
	s.sendJSON(opened)
	if info != nil {
		s.sendJSON(*info)
	}
	s.phaseMu.Unlock()
	return true
}

// resolve finds the target an open names, by name or by host and port, in
// the target table (policy.Table.Lookup).
func (s *session) resolve(o *wire.Open) (policy.Target, *refusal) {
	switch {
	case o.Target != "" && (o.Host != "" || o.Port != 0):
		return policy.Target{}, &refusal{wire.BadRequest, wire.Say("open-both")}
	case o.Target == "" && (o.Host == "" || o.Port <= 0):
		return policy.Target{}, &refusal{wire.BadRequest, wire.Say("open-no-target")}
	}
	t, err := s.srv.cfg.Targets.Lookup(o.Target, o.Host, o.Port)
	if err != nil {
		return t, &refusal{wire.NotAllowed, err.(*policy.NotListedError).Detail()}
	}
	if o.Mailbox != "" && t.Sandbox == "" {
		return t, &refusal{wire.BadRequest, wire.Say("mailbox-real", "target", t.Name)}
	}
	return t, nil
}

// connect reaches the target: the sandbox in-process, anything else through
// the guarded dialer, which checks the resolved address at connect time.
func (s *session) connect(t policy.Target, mailbox string) (net.Conn, string, string, *refusal) {
	if t.Sandbox != "" {
		conn, token, err := s.srv.cfg.Sandbox.Connect(s.client, t.Sandbox, mailbox, s.onDeliver)
		if err != nil {
			s.srv.log.Error("sandbox connect failed", "profile", t.Sandbox, "err", err)
			return nil, "", "", &refusal{wire.Internal, wire.Say("sandbox-busy")}
		}
		return conn, "sandbox", token, nil
	}
	addr := net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
	conn, err := s.srv.dialer.DialContext(s.ctx, "tcp", addr)
	if err != nil {
		s.srv.log.Info("dial failed", "client", s.client.String(), "target", t.Name, "err", err)
		return nil, "", "", dialError(t, err)
	}
	return conn, conn.RemoteAddr().String(), "", nil
}

// dialError turns a failed dial into a contract code and a sentence.
func dialError(t policy.Target, err error) *refusal {
	addr := net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
	var denied *policy.DeniedError
	var dns *net.DNSError
	switch {
	case errors.As(err, &denied):
		return &refusal{wire.NotAllowed, denied.Resolved(t.Host)}
	case errors.As(err, &dns) && dns.IsNotFound:
		return &refusal{wire.DialFailed, wire.Say("dns-not-found", "host", t.Host)}
	case errors.As(err, &dns):
		return &refusal{wire.DialFailed, wire.Say("dns-failed", "host", t.Host)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &refusal{wire.DialFailed, wire.Say("refused", "addr", addr)}
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return &refusal{wire.DialFailed, wire.Say("unreachable", "addr", addr)}
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return &refusal{wire.DialFailed, wire.Say("dial-timeout", "addr", addr)}
	}
	return &refusal{wire.DialFailed, wire.Say("dial-failed", "addr", addr)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// authGuard refuses AUTH before TLS to a real server unless its entry
// allows plaintext AUTH: credentials never cross the internet in the clear.
func (s *session) authGuard(tlsUp bool) bool {
	return tlsUp || s.target.Sandbox != "" || s.target.PlainAuth
}
