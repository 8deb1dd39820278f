package tunnel

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
)

// The websocket library reads and writes through the buffers the HTTP
// server hands over with the connection, 4 KiB each, held for the life of
// the session. lightHijack hands it small ones instead, over a connection
// that reads through a pooled buffer only while bytes wait (pooled.go): an
// idle session then holds a few dozen bytes where it held 8 KiB.

const (
	// wsReadBuffer is the websocket's own read buffer: frame headers; a
	// payload goes past it, straight into the message.
	wsReadBuffer = 16 // bufio's least
	// wsWriteBuffer holds a frame header and a short payload, so that a
	// reply line goes out in one write; longer payloads go past it.
	wsWriteBuffer = 512
	// wsPoolBuffer is what a websocket read takes from the pool.
	wsPoolBuffer = 4 << 10
)

var wsPool = newBufPool(wsPoolBuffer)

// lightHijack is an http.ResponseWriter whose Hijack hands over small buffers.
type lightHijack struct{ http.ResponseWriter }

// Unwrap lets http.ResponseController reach the server's writer.
func (w lightHijack) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack takes the connection over from the HTTP server.
func (w lightHijack) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	pc := &pooledConn{Conn: conn, fresh: newFreshReader(conn, wsPool)}
	if n := brw.Reader.Buffered(); n > 0 { // sent right after the request
		early, _ := brw.Reader.Peek(n)
		pc.early = bytes.Clone(early)
	}
	return pc, bufio.NewReadWriter(bufio.NewReaderSize(pc, wsReadBuffer), bufio.NewWriterSize(pc, wsWriteBuffer)), nil
}

// pooledConn reads through a buffer from wsPool that it holds only while
// bytes wait in it.
type pooledConn struct {
	net.Conn
	fresh *freshReader // reads Conn
	early []byte       // bytes the HTTP server read past the request
	buf   *[]byte      // from wsPool; nil while nothing waits
	i, j  int          // (*buf)[i:j] waits to be read
}

// Read reads what waits, or else waits for bytes: a read as large as the
// pool's buffers goes straight to the connection.
func (c *pooledConn) Read(p []byte) (int, error) {
	if len(c.early) > 0 {
		n := copy(p, c.early)
		c.early = c.early[n:]
		return n, nil
	}
	if c.buf == nil {
		if len(p) >= wsPoolBuffer {
			return c.Conn.Read(p)
		}
		buf, n, err := c.fresh.read()
		if err != nil {
			return 0, err
		}
		c.buf, c.i, c.j = buf, 0, n
	}
	n := copy(p, (*c.buf)[c.i:c.j])
	c.i += n
	if c.i == c.j {
		wsPool.put(c.buf)
		c.buf = nil
	}
	return n, nil
}
