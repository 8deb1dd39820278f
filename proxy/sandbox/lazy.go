package sandbox

import "time"

// A page that connects and then waits costs go-smtp nothing: an in-process
// connection gets its greeting from the sandbox itself, and is handed to
// go-smtp (with its goroutine and its 8 KiB of buffers) only when the
// client first writes or closes. go-smtp's own greeting is then swallowed,
// as after STARTTLS. A client that says nothing for go-smtp's ReadTimeout
// gets go-smtp's idle timeout reply, as it would from go-smtp. Over TCP
// go-smtp starts at once (start). Once it has started, go-smtp lets go of
// the connection again whenever the client waits between commands with
// nothing a new go-smtp connection could not be told again (park.go).

// greeting is what go-smtp says first, before the sandbox's rewrites.
func (s *Sandbox) greeting() []byte {
	return []byte("220 " + s.cfg.Hostname + " ESMTP Service Ready\r\n")
}

// goSMTPIdle is what go-smtp says when its ReadTimeout passes, before the
// sandbox's rewrites.
var goSMTPIdle = []byte("421 4.4.2 Idle timeout, bye bye\r\n")

// startOnFirstBytes registers c, greets, and hands c to go-smtp when the
// client, at the other end of server, first writes or closes.
func (s *Sandbox) startOnFirstBytes(c *clientConn, server *pipeEnd) error {
	if err := s.register(c); err != nil {
		return err
	}
	seg := c.firstSegment()
	if _, err := c.write(seg, s.greeting()); err != nil {
		c.abort()
		return ErrClosed
	}
	c.mu.Lock()
	seg.swallowGreeting = true
	c.mu.Unlock()
	s.serveOnWake(c, seg, server, nil)
	return nil
}

// serveOnWake hands seg to go-smtp when the client, at the other end of
// server, next writes or closes; go-smtp first reads replay, if any, and
// its reply to it is swallowed (park.go). A client that says nothing for
// go-smtp's ReadTimeout gets go-smtp's idle timeout reply and is closed.
func (s *Sandbox) serveOnWake(c *clientConn, seg *segment, server *pipeEnd, replay []byte) {
	idle := time.AfterFunc(s.srv.ReadTimeout, func() {
		_, _ = c.write(seg, goSMTPIdle)
		c.close()
	})
	server.in.onWake(func() {
		if !idle.Stop() {
			return // timed out already
		}
		if err := s.ln.push(newParkable(seg, server, replay)); err != nil {
			c.abort() // shutting down
		}
	})
}
