package tunnel

import (
	"io"
	"net"
	"sync"
	"time"

	"github.com/smtplay/smtplay/wire"
)

// tap records the bytes of a session's server leg as they cross it, for a
// client that asked for them (Open.Wire), and sends them in wire messages:
// coalesced (one message per wire.CaptureFlush, or sooner once
// wire.CaptureChunk bytes wait) and capped (at most max bytes a session).
// It keeps nothing once a message is sent, and never logs what it saw.
type tap struct {
	send func(wire.Wire)

	flushMu sync.Mutex // keeps messages in order when two flushes overlap

	mu        sync.Mutex
	chunks    []wire.Chunk
	pending   int // bytes in chunks
	keyLog    []byte
	offset    [2]int64 // bytes seen so far, up and down
	left      int64    // bytes the cap still allows
	truncated bool     // the cap was reached; told once
	told      bool
	timer     *time.Timer
	armed     bool // timer will fire
	done      bool
}

// directions index tap.offset.
var directions = [2]string{wire.DirUp, wire.DirDown}

const (
	up   = 0
	down = 1
)

func newTap(max int64, send func(wire.Wire)) *tap {
	t := &tap{send: send, left: max}
	t.timer = time.AfterFunc(time.Hour, t.flush)
	t.timer.Stop()
	return t
}

// wrap returns conn with its reads and writes recorded.
func (t *tap) wrap(conn net.Conn) net.Conn { return &tapConn{Conn: conn, t: t} }

// record notes p, which crossed the leg in direction dir.
func (t *tap) record(dir int, p []byte) {
	now := time.Now().UnixMicro()
	t.mu.Lock()
	defer t.mu.Unlock()
	off := t.offset[dir]
	t.offset[dir] += int64(len(p))
	if t.done || t.truncated {
		return
	}
	if int64(len(p)) > t.left {
		p = p[:t.left]
		t.truncated = true
	}
	t.left -= int64(len(p))
	if len(p) > 0 {
		if n := len(t.chunks); n > 0 && t.chunks[n-1].Dir == directions[dir] &&
			t.chunks[n-1].Offset+int64(len(t.chunks[n-1].Data)) == off {
			t.chunks[n-1].Data = append(t.chunks[n-1].Data, p...)
		} else {
			t.chunks = append(t.chunks, wire.Chunk{Dir: directions[dir], Offset: off, Time: now, Data: append([]byte(nil), p...)})
		}
		t.pending += len(p)
	}
	t.schedule()
}

// schedule arms the flush: at once when a message's worth waits (or the
// cap was just reached), else wire.CaptureFlush after the first byte that
// waits. Called with mu held.
func (t *tap) schedule() {
	switch {
	case t.pending >= wire.CaptureChunk || t.truncated && !t.told:
		t.timer.Reset(0)
		t.armed = true
	case !t.armed:
		t.timer.Reset(wire.CaptureFlush)
		t.armed = true
	}
}

// Write takes lines of the TLS key log (tls.Config.KeyLogWriter).
func (t *tap) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done {
		t.keyLog = append(t.keyLog, p...)
		t.schedule()
	}
	return len(p), nil
}

// flush sends what waits, in messages of at most wire.CaptureChunk bytes;
// the first carries the key log, the last says when the cap was reached.
func (t *tap) flush() {
	t.flushMu.Lock()
	defer t.flushMu.Unlock()
	t.mu.Lock()
	chunks, keyLog := t.chunks, t.keyLog
	t.chunks, t.keyLog, t.pending, t.armed = nil, nil, 0, false
	last := t.truncated && !t.told
	t.told = t.told || last
	t.mu.Unlock()
	msgs := split(chunks)
	if len(msgs) == 0 && (len(keyLog) > 0 || last) {
		msgs = []wire.Wire{{Type: wire.TypeWire, Chunks: []wire.Chunk{}}}
	}
	if len(msgs) == 0 {
		return
	}
	msgs[0].KeyLog = string(keyLog)
	msgs[len(msgs)-1].Truncated = last
	for _, m := range msgs {
		t.send(m)
	}
}

// finish sends what waits and stops the tap: the session is ending.
func (t *tap) finish() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.timer.Stop()
	t.mu.Unlock()
	t.flush()
	t.mu.Lock()
	t.done = true
	t.timer.Stop()
	t.mu.Unlock()
}

// split cuts chunks into messages of at most wire.CaptureChunk bytes of data.
func split(chunks []wire.Chunk) []wire.Wire {
	var out []wire.Wire
	cur := wire.Wire{Type: wire.TypeWire}
	size := 0
	for _, c := range chunks {
		for len(c.Data) > 0 {
			if size == wire.CaptureChunk {
				out = append(out, cur)
				cur, size = wire.Wire{Type: wire.TypeWire}, 0
			}
			n := min(len(c.Data), wire.CaptureChunk-size)
			cur.Chunks = append(cur.Chunks, wire.Chunk{Dir: c.Dir, Offset: c.Offset, Time: c.Time, Data: c.Data[:n]})
			c.Data, c.Offset, size = c.Data[n:], c.Offset+int64(n), size+n
		}
	}
	if size > 0 {
		out = append(out, cur)
	}
	return out
}

// tapConn is a server connection whose bytes a tap records.
type tapConn struct {
	net.Conn
	t *tap
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.t.record(down, p[:n])
	}
	return n, err
}

// Write records p before writing it: on a synchronous pipe the server's
// answer can be read before Write returns, and must come after p in the
// capture. (A write that fails leaves a dead connection.)
func (c *tapConn) Write(p []byte) (int, error) {
	c.t.record(up, p)
	return c.Conn.Write(p)
}

// startTap wraps conn in a tap when the client asked for the wire, capped
// at wire.CaptureMax and the session's byte budget.
func (s *session) startTap(o *wire.Open, conn net.Conn) net.Conn {
	if !o.Wire {
		return conn
	}
	t := newTap(min(wire.CaptureMax, s.srv.cfg.Limits.ByteBudget), func(m wire.Wire) { s.sendJSON(m) })
	s.tap.Store(t)
	return t.wrap(conn)
}

// keyLog is where the proxy's TLS client writes its key log: the tap, for a
// sandbox session that asked for the wire; nothing otherwise. A real
// server's session keys never leave the proxy.
func (s *session) keyLog() io.Writer {
	if t := s.tap.Load(); t != nil && s.target.Sandbox != "" {
		return t
	}
	return nil
}
