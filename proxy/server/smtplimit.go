package server

import (
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
)

// limitedListener admits a client of the sandbox's SMTP listener only
// while its address holds fewer connections than it may hold tunnel
// sessions (-sessions-per-ip), counted apart from its tunnels: a script in
// a loop can neither hold every connection nor lock its author's page out.
// A refused client is told why in a 421 reply and disconnected.
//
// Unlike tunnels, connections are not paced per minute: a person re-running
// a script while fixing it starts many, and what each may do is already
// bounded by the sandbox's message rate and storage share per address.
type limitedListener struct {
	net.Listener
	limiter *policy.Limiter
}

// smtpLimits are the listener's admission limits: the tunnels' concurrent
// and global ones, no pace per address.
func smtpLimits(l policy.Limits) policy.Limits {
	return policy.Limits{SessionsPerIP: l.SessionsPerIP, NewPerMinute: math.MaxInt32, GlobalPerSecond: l.GlobalPerSecond}
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

// Close frees the connection's place and closes it: by the time the
// client reads the end of the stream, its address may connect again.
func (c *limitedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
