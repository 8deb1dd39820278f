package sandbox

import (
	"bytes"
	"net"
	"strings"
)

// write takes go-smtp's output and passes it on line by line.
func (c *clientConn) write(g *segment, p []byte) (int, error) {
	c.mu.Lock()
	if c.closed || g.ended {
		c.mu.Unlock()
		return 0, net.ErrClosed
	}
	c.wbuf = append(c.wbuf, p...)
	var err error
	for err == nil {
		i := bytes.IndexByte(c.wbuf, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(c.wbuf[:i]), "\r")
		c.wbuf = c.wbuf[i+1:]
		err = c.emitLocked(g, line)
	}
	if len(c.wbuf) == 0 {
		c.wbuf = nil
	}
	closeNow := c.shutdownPending && !c.inReply && !c.closed
	if closeNow {
		c.shutdownPending = false
		c.writeLineLocked(replyShutdown)
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

// emitLocked writes one line of go-smtp's replies, as the sandbox wants it.
func (c *clientConn) emitLocked(g *segment, line string) error {
	if g.swallowGreeting {
		g.swallowGreeting = false
		if strings.HasPrefix(line, "220 ") {
			return nil // the greeting of a segment after STARTTLS
		}
	}
	final := len(line) < 4 || line[3] != '-'
	first := !c.inReply
	if final && c.override != nil {
		if strings.HasPrefix(line, c.override.prefix) {
			line = c.override.line
		}
		c.override = nil
	}
	line = c.sb.rewrites.apply(line)
	if err := c.writeLineLocked(line); err != nil {
		return err
	}
	if first && !final && c.lastVerb == "EHLO" && c.tlsState == nil && strings.HasPrefix(line, "250-") {
		// go-smtp has no TLS config, so it does not list STARTTLS: add it.
		if err := c.writeLineLocked("250-STARTTLS"); err != nil {
			return err
		}
	}
	switch {
	case strings.HasPrefix(line, "354 "):
		c.mode = modeData
		c.dataErr = nil
	case strings.HasPrefix(line, "334 "):
		c.mode = modeAuth
	}
	c.inReply = !final
	return nil
}

// writeLineLocked writes one line and its CRLF to the client.
func (c *clientConn) writeLineLocked(line string) error {
	if c.closed {
		return net.ErrClosed
	}
	_, err := c.cur.Write([]byte(line + "\r\n"))
	return err
}

// reply writes a reply of the sandbox's own (not go-smtp's). If the client
// cannot be written to, the connection is over: reply cuts it and returns
// net.ErrClosed, which go-smtp takes as a normal end.
func (c *clientConn) reply(lines ...string) error {
	c.mu.Lock()
	var err error
	for _, l := range lines {
		if err = c.writeLineLocked(l); err != nil {
			break
		}
	}
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
