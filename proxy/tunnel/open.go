package tunnel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// open handles the client's open: it finds the target, connects (with TLS
// first for implicit targets) and sends opened. It reports whether the
// session goes on.
func (s *session) open(o *wire.Open) bool {
	t, werr := s.resolve(o)
	if werr != nil {
		s.end(ending{by: wire.ByProxy, reason: werr.Message, err: werr})
		return false
	}
	s.writeMu.Lock()
	s.target = t
	s.writeMu.Unlock()
	s.follow.guard = s.authGuard
	if t.Sandbox == "" {
		s.follow.quota = s.srv.cfg.Limits.Real
	}
	conn, remote, token, werr := s.connect(t, o.Mailbox)
	if werr != nil {
		s.end(ending{by: wire.ByProxy, reason: werr.Message, err: werr})
		return false
	}
	s.writeMu.Lock()
	if s.ctx.Err() != nil { // the session ended while connecting
		s.writeMu.Unlock()
		_ = conn.Close()
		return false
	}
	s.conn, s.remote = conn, remote
	s.writeMu.Unlock()
	s.srv.log.Info("session open", "client", s.client.String(), "target", t.Name, "remote", remote, "tls", string(t.TLS))
	s.srv.cfg.Observer.SessionOpened(t.Name)

	var info *wire.TLS
	if t.TLS == policy.TLSImplicit {
		tc, tinfo, err := s.handshake(conn)
		if err != nil {
			s.end(endWith(wire.TLSFailed, err.Error()))
			return false
		}
		s.writeMu.Lock()
		s.conn = tc
		s.writeMu.Unlock()
		info = tinfo
		s.follow.tlsStarted()
	}
	opened := wire.Opened{Type: wire.TypeOpened, Host: t.Host, Port: t.Port, Remote: remote, TLS: string(t.TLS), Mailbox: token}
	if t.Sandbox != "" {
		opened.Profile = s.srv.cfg.Sandbox.Profile(t.Sandbox)
	}
	s.sendJSON(opened)
	if info != nil {
		s.sendJSON(*info)
	}
	return true
}

// resolve finds the target an open names, by name or by host and port, in
// the target table (policy.Table.Lookup).
func (s *session) resolve(o *wire.Open) (policy.Target, *wire.Error) {
	switch {
	case o.Target != "" && (o.Host != "" || o.Port != 0):
		return policy.Target{}, errPtr(wire.BadRequest, "an open names either a target or a host and port, not both")
	case o.Target == "" && (o.Host == "" || o.Port <= 0):
		return policy.Target{}, errPtr(wire.BadRequest, `an open needs "target", or "host" and "port"`)
	}
	t, err := s.srv.cfg.Targets.Lookup(o.Target, o.Host, o.Port)
	if err != nil {
		return t, errPtr(wire.NotAllowed, err.Error())
	}
	if o.Mailbox != "" && t.Sandbox == "" {
		return t, errPtr(wire.BadRequest, "a mailbox belongs to the sandbox; "+t.Name+" is a real server")
	}
	return t, nil
}

func errPtr(code wire.Code, message string) *wire.Error {
	e := wire.NewError(code, message)
	return &e
}

// connect reaches the target: the sandbox in-process, anything else through
// the guarded dialer, which checks the resolved address at connect time.
func (s *session) connect(t policy.Target, mailbox string) (net.Conn, string, string, *wire.Error) {
	if t.Sandbox != "" {
		conn, token, err := s.srv.cfg.Sandbox.Connect(t.Sandbox, mailbox, s.onDeliver)
		if err != nil {
			s.srv.log.Error("sandbox connect failed", "profile", t.Sandbox, "err", err)
			return nil, "", "", errPtr(wire.Internal, "the built-in sandbox could not take the session; please try again")
		}
		return conn, "sandbox", token, nil
	}
	addr := net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
	conn, err := s.srv.dialer.DialContext(s.ctx, "tcp", addr)
	if err != nil {
		s.srv.log.Info("dial failed", "client", s.client.String(), "target", t.Name, "err", err)
		code, msg := dialError(t, err)
		return nil, "", "", errPtr(code, msg)
	}
	return conn, conn.RemoteAddr().String(), "", nil
}

// dialError turns a failed dial into a contract code and a sentence.
func dialError(t policy.Target, err error) (wire.Code, string) {
	addr := net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
	var denied *policy.DeniedError
	var dns *net.DNSError
	switch {
	case errors.As(err, &denied):
		return wire.NotAllowed, fmt.Sprintf("%s resolves to %s, which this playground never connects to: %s", t.Host, denied.Addr, denied.Reason)
	case errors.As(err, &dns) && dns.IsNotFound:
		return wire.DialFailed, fmt.Sprintf("the name %s was not found in DNS: check its spelling", t.Host)
	case errors.As(err, &dns):
		return wire.DialFailed, fmt.Sprintf("the name %s could not be looked up in DNS just now; try again later", t.Host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return wire.DialFailed, fmt.Sprintf("%s refused the connection: no mail server is listening on that port", addr)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return wire.DialFailed, fmt.Sprintf("%s cannot be reached from the proxy: there is no network route to it", addr)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return wire.DialFailed, fmt.Sprintf("%s did not answer in time: the server may be down, or a firewall drops the connection", addr)
	}
	return wire.DialFailed, fmt.Sprintf("could not connect to %s", addr)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// authGuard refuses AUTH before TLS to a real server unless its entry
// allows plaintext AUTH: credentials never cross the internet in the clear.
func (s *session) authGuard(tlsUp bool) error {
	if tlsUp || s.target.Sandbox != "" || s.target.PlainAuth {
		return nil
	}
	return errors.New("AUTH before TLS is refused for a real server: your password would cross the internet readable by anyone on the way. Send STARTTLS first, then EHLO, then AUTH")
}
