package sandbox

import (
	"crypto/tls"
	"time"
)

// close ends the connection politely: a TLS close_notify, then the socket.
func (c *clientConn) close() {
	c.mu.Lock()
	c.closed = true
	cur := c.cur
	c.mu.Unlock()
	if tc, ok := cur.(*tls.Conn); ok && c.closeNotify {
		tc.Close() // sends close_notify, bounded by crypto/tls's own 5 s
	}
	c.raw.Close()
	c.finish()
}

// abort cuts the connection at once (drop@, a failed handshake, Shutdown's
// last resort).
func (c *clientConn) abort() {
	c.raw.Close()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.finish()
}

func (c *clientConn) finish() {
	c.ended.Do(func() {
		close(c.done)
		if c.registered {
			c.sb.forget(c)
		}
	})
}

// shutdown sends 421 and closes, or, in the middle of a multi-line reply,
// asks write to do so after the reply's last line. A write deadline keeps a
// client that does not read from holding Shutdown up.
func (c *clientConn) shutdown() {
	c.limitWrites(time.Now().Add(shutdownGrace))
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return
	case c.handshaking:
		c.mu.Unlock()
		c.abort() // no clean way to talk in the middle of a handshake
		return
	case c.inReply:
		c.shutdownPending = true
		c.mu.Unlock()
		return
	}
	c.writeLineLocked(replyShutdown)
	c.mu.Unlock()
	c.close()
}
