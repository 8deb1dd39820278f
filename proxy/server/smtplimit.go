package server

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
)

// limitedListener admits a client of the sandbox's SMTP listener only
// within the limits an address has for tunnel sessions (-sessions-per-ip
// at once, -sessions-per-minute), counted apart from its tunnels: a script
// in a loop can neither hold every connection nor lock its author's page
// out. A refused client is told why in a 421 reply and disconnected.
type limitedListener struct {
	net.Listener
	limiter *policy.Limiter
}

// refuseWait bounds the write of a refusal; a fresh socket's send buffer
// takes it at once.
const refuseWait = time.Second

// Accept returns the next admitted connection.
func (l limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		release, err := l.limiter.Acquire(remoteIP(c.RemoteAddr()))
		if err != nil {
			_ = c.SetWriteDeadline(time.Now().Add(refuseWait))
			_, _ = c.Write([]byte("421 4.7.0 " + err.Error() + "\r\n"))
			_ = c.Close()
			continue
		}
		return &limitedConn{Conn: c, release: release}, nil
	}
}

// remoteIP is a TCP peer's address; the zero Addr for anything else.
func remoteIP(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}

// limitedConn gives its admission back when it is closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and frees its place.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
