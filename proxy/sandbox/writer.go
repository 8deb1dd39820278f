package sandbox

import (
	"bytes"
	"net"
	"sync"
)

// replyBufs hold a reply while write rewrites it, so that a reply costs one
// Write (one syscall over TCP) and no allocation; a connection holds one
// only during write.
var replyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// maxPooledReply bounds the buffers put back in replyBufs.
const maxPooledReply = 16 << 10

// write takes go-smtp's output and passes it on, rewritten line by line,
// in one Write.
func (c *clientConn) write(g *segment, p []byte) (int, error) {
	c.mu.Lock()
	if c.closed || g.ended {
		c.mu.Unlock()
		return 0, net.ErrClosed
	}
	bp := replyBufs.Get().(*[]byte)
	out := (*bp)[:0]
	in := p
	if len(c.wbuf) > 0 {
		c.wbuf = append(c.wbuf, p...)
		in = c.wbuf
	}
	for {
		i := bytes.IndexByte(in, '\n')
		if i < 0 {
			break
		}
		out = c.emitLocked(g, out, bytes.TrimRight(in[:i], "\r"))
		in = in[i+1:]
	}
	if len(in) == 0 {
		c.wbuf = nil
	} else {
		c.wbuf = append(c.wbuf[:0], in...) // copy handles the overlap
	}
	closeNow := c.shutdownPending && !c.inReply && !c.closed
	if closeNow {
		c.shutdownPending = false
		out = appendLine(out, replyShutdown)
	}
	err := c.writeLocked(out)
	if cap(out) <= maxPooledReply {
		*bp = out[:0]
		replyBufs.Put(bp)
	}
	c.mu.Unlock()
	if closeNow {
		c.close()
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// emitLocked appends one line of go-smtp's replies to out, as the sandbox
// wants it, with its CRLF.
func (c *clientConn) emitLocked(g *segment, out, line []byte) []byte {
	if g.swallowGreeting {
		g.swallowGreeting = false
		if bytes.HasPrefix(line, []byte("220 ")) {
			return out // the greeting of a segment after STARTTLS
		}
	}
	final := len(line) < 4 || line[3] != '-'
	first := !c.inReply
	start := len(out)
	switch o := c.override; {
	case final && o != nil && bytes.HasPrefix(line, []byte(o.prefix)):
		out = appendLine(out, o.line) // the sandbox's own words: not rewritten
	default:
		out = c.sb.rewrites.appendLine(out, line)
	}
	if final {
		c.override = nil
	}
	sent := out[start:]
	if first && !final && c.lastVerb == "EHLO" && c.tlsState == nil && bytes.HasPrefix(sent, []byte("250-")) {
		// go-smtp has no TLS config, so it does not list STARTTLS: add it.
		out = appendLine(out, "250-STARTTLS")
	}
	switch {
	case bytes.HasPrefix(sent, []byte("354 ")):
		c.mode = modeData
		c.dataErr = nil
		c.text = true
	case bytes.HasPrefix(sent, []byte("334 ")):
		c.mode = modeAuth
	}
	c.inReply = !final
	return out
}

// appendLine appends line and its CRLF to out.
func appendLine(out []byte, line string) []byte {
	return append(append(out, line...), "\r\n"...)
}

// writeLocked writes p, whole lines, to the client.
func (c *clientConn) writeLocked(p []byte) error {
	if c.closed {
		return net.ErrClosed
	}
	if len(p) == 0 {
		return nil
	}
	_, err := c.cur.Write(p)
	return err
}

// writeLineLocked writes one line and its CRLF to the client.
func (c *clientConn) writeLineLocked(line string) error {
	return c.writeLocked(appendLine(nil, line))
}

// reply writes a reply of the sandbox's own (not go-smtp's), in one Write.
// If the client cannot be written to, the connection is over: reply cuts
// it and returns net.ErrClosed, which go-smtp takes as a normal end.
func (c *clientConn) reply(lines ...string) error {
	var out []byte
	for _, l := range lines {
		out = appendLine(out, l)
	}
	c.mu.Lock()
	err := c.writeLocked(out)
	c.mu.Unlock()
	if err != nil {
		c.abort()
		return net.ErrClosed
	}
	return nil
}

// setOverride makes the next reply that starts with prefix read line.
func (c *clientConn) setOverride(prefix, line string) {
	c.mu.Lock()
	c.override = &override{prefix: prefix, line: line}
	c.mu.Unlock()
}
