package sandbox

import (
	"bytes"
	"errors"
	"io"
	"os"
	"time"
)

// Parking: go-smtp holds a goroutine and 8 KiB of buffers for as long as it
// serves a connection. An in-process connection whose client waits between
// commands, with nothing in progress (no mail transaction, no AUTH, no TLS,
// no error go-smtp counts), is taken from go-smtp: its read gets io.EOF,
// go-smtp ends that segment (Close does nothing to a segment that is no
// longer current, as after STARTTLS), and the connection waits for bytes
// as a new one does (lazy.go). Only a client that has waited parkAfter is
// parked, so that a conversation in progress does not start go-smtp anew
// for each command. When the client speaks again a new go-smtp
// connection is started; it is told the EHLO (or HELO) again before the
// client's next line, and its greeting and its reply to that EHLO are
// swallowed, so the client sees exactly what one go-smtp connection would
// have said. TestParkedSessionRepliesAsOne checks this.

// parkable is the net.Conn go-smtp serves for an in-process connection: a
// segment that may be parked.
type parkable struct {
	*segment
	server *pipeEnd
	sess   *session // set by NewSession at EHLO

	replay  []byte  // what go-smtp reads first: the EHLO it is told again
	swallow bool    // drop go-smtp's output up to the end of its reply to replay
	head    [4]byte // the start of the output line being written: its code and separator
	headLen int
	counted bool // go-smtp has answered with an error: it counts those, so no parking
}

func newParkable(seg *segment, server *pipeEnd, replay []byte) *parkable {
	return &parkable{segment: seg, server: server, replay: replay}
}

// Read gives go-smtp replay first, and parks the connection instead of
// waiting for the client's next line.
func (p *parkable) Read(b []byte) (int, error) {
	if len(p.replay) > 0 {
		n := copy(b, p.replay)
		p.replay = p.replay[n:]
		p.swallow = len(p.replay) == 0
		return n, nil
	}
	if p.park() {
		return 0, io.EOF
	}
	return p.segment.Read(b)
}

// Write passes go-smtp's output on, but for its reply to replay, and notes
// replies go-smtp counts as errors.
func (p *parkable) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		end := bytes.IndexByte(b, '\n') + 1
		if end == 0 {
			end = len(b)
		}
		piece := b[:end]
		b = b[end:]
		p.headLen += copy(p.head[p.headLen:], piece)
		if !p.swallow {
			if _, err := p.segment.Write(piece); err != nil {
				return 0, err
			}
		}
		if piece[len(piece)-1] != '\n' {
			continue
		}
		head := p.head[:p.headLen]
		p.headLen = 0
		if len(head) > 0 && (head[0] == '4' || head[0] == '5') {
			p.counted = true
		}
		if len(head) < 4 || head[3] != '-' {
			p.swallow = false // the reply has ended
		}
	}
	return n, nil
}

// park takes the connection from go-smtp when the client has sent nothing
// more and go-smtp's state is only what replay can tell a new one; it
// reports whether it did. It runs on go-smtp's goroutine, which owns the
// read side of the connection.
func (p *parkable) park() bool {
	c := p.c
	if p.counted || c.br != nil || len(c.pending) > 0 || c.mode != modeCommand {
		return false
	}
	if s := p.sess; s != nil && (s.from != nil || s.user != "" || s.inbox != nil || len(s.rcpts) > 0) {
		return false
	}
	if p.server.readableWithin(c.sb.parkAfter) {
		return false // a client in the middle of a conversation keeps go-smtp
	}
	c.mu.Lock()
	if c.seg != p.segment || p.ended || c.closed || c.tlsState != nil || c.handshaking || c.inReply ||
		c.shutdownPending || c.override != nil || len(c.wbuf) > 0 ||
		p.sess != nil && c.greetVerb != "EHLO" && c.greetVerb != "HELO" {
		c.mu.Unlock()
		return false
	}
	var replay []byte
	if p.sess != nil {
		replay = []byte(c.greetVerb + " " + p.sess.conn.Hostname() + "\r\n")
	}
	p.ended = true
	next := &segment{c: c, swallowGreeting: true}
	c.seg = next
	c.mu.Unlock()
	c.sb.serveOnWake(c, next, p.server, replay)
	return true
}

// readableWithin waits up to d for a Read that would not wait: bytes are
// queued, the client has closed, or the read deadline go-smtp set has
// passed; it reports whether one came. go-smtp's read deadline is kept.
func (e *pipeEnd) readableWithin(d time.Duration) bool {
	q := e.in
	q.mu.Lock()
	if q.unread() > 0 || q.writerGone || q.readerGone || q.readDeadline.passed() {
		q.mu.Unlock()
		return true
	}
	set := q.readDeadline.at
	q.mu.Unlock()
	wait := time.Now().Add(d)
	if !set.IsZero() && set.Before(wait) {
		wait = set
	}
	e.SetReadDeadline(wait)
	err := e.WaitRead()
	e.SetReadDeadline(set)
	return !errors.Is(err, os.ErrDeadlineExceeded) || !set.IsZero() && !time.Now().Before(set)
}
