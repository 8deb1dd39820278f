package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// ServeTCP serves profile to real SMTP clients (swaks, Thunderbird, scripts)
// on l. A client that logs in as "student+TOKEN" delivers into mailbox
// TOKEN (the page's exports do, with their session's token); any other
// delivers into one mailbox they all share, whose token ServeTCP returns so
// the operator can open it. An empty profile is the lenient "sandbox".
//
// ServeTCP returns at once; it serves in the background until ctx ends or
// Shutdown, then closes l. Connections already open are ended by Shutdown.
// The shared mailbox does not expire while ServeTCP serves. Errors from l
// after the start are logged.
func (s *Sandbox) ServeTCP(ctx context.Context, l net.Listener, profile string) (token string, err error) {
	p, ok := lookupProfile(profile)
	if !ok {
		return "", fmt.Errorf("sandbox: unknown profile %q", profile)
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return "", ErrClosed
	}
	s.bgWG.Add(1)
	s.mu.Unlock()

	box := s.store.attach("") // held until the loop ends: it never expires meanwhile
	stopCtx := context.AfterFunc(ctx, func() { l.Close() })
	stopSandbox := context.AfterFunc(s.ctx, func() { l.Close() })
	s.log.Info("sandbox: serving SMTP over TCP", "addr", l.Addr().String(), "profile", p.name)
	go func() {
		defer s.bgWG.Done()
		defer s.store.detach(box)
		defer stopSandbox()
		defer stopCtx()
		defer l.Close()
		s.acceptTCP(ctx, l, p, box)
	}()
	return box.token, nil
}

// acceptTCP accepts until l is closed. Other accept errors (too many open
// files, say) are logged and retried after a growing pause.
func (s *Sandbox) acceptTCP(ctx context.Context, l net.Listener, p *profile, box *mailbox) {
	var delay time.Duration
	for {
		conn, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || s.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.log.Warn("sandbox: TCP accept failed", "err", err, "retry_in", delay)
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-ctx.Done():
			case <-s.ctx.Done():
			}
			t.Stop()
			continue
		}
		delay = 0
		s.store.attach(box.token) // one more user of the shared mailbox
		c := newClientConn(s, conn, p, box, nil, remoteName(conn.RemoteAddr()))
		c.client = addrOf(conn.RemoteAddr())
		c.closeNotify = true
		c.byLogin = true
		if err := s.start(c); err != nil {
			return
		}
	}
}

// addrOf is a TCP client's address; the zero Addr for anything else.
func addrOf(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}
