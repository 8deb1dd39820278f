package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Line limits, each including CRLF.
const (
	maxCommandLine = 512   // RFC 5321 section 4.5.3.1.4
	maxAuthLine    = 12288 // RFC 4954 section 4: AUTH and its answers
	maxTextLine    = 1000  // RFC 5321 section 4.5.3.1.6, not counting a stuffed dot
	readBufferSize = 16 << 10
)

// readers are the connections' line readers. A connection on the
// in-process pipe borrows one when bytes arrive and gives it back once it
// has read them all, so an idle one holds none; others keep theirs
// (lineDone) until STARTTLS or their end.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufferSize) }}

// readWaiter is a connection that can wait for bytes without a buffer: the
// in-process pipe (pipe.go).
type readWaiter interface{ WaitRead() error }

// reader returns the line reader, borrowing one when none is held; on the
// in-process pipe only once bytes wait.
func (c *clientConn) reader() (*bufio.Reader, error) {
	if c.br == nil {
		if w, ok := c.src.(readWaiter); ok {
			if err := w.WaitRead(); err != nil {
				return nil, err
			}
		}
		c.br = readers.Get().(*bufio.Reader)
		c.br.Reset(c.src)
	}
	return c.br, nil
}

// lineDone is called once a line has been passed on. On the in-process
// pipe the line reader goes back when nothing waits in it, so that an idle
// connection holds none; any other connection keeps it, since it would take
// one again at once to wait for its next line in it.
func (c *clientConn) lineDone() {
	if _, ok := c.src.(readWaiter); ok {
		c.releaseReader()
	}
}

// releaseReader gives the line reader back when nothing waits in it.
func (c *clientConn) releaseReader() {
	if c.br != nil && c.br.Buffered() == 0 {
		c.br.Reset(nil)
		readers.Put(c.br)
		c.br = nil
	}
}

var (
	errBareLF      = errors.New("bare LF")
	errBareCR      = errors.New("bare CR")
	errLineTooLong = errors.New("line too long")
)

// crlf checks that every CR is followed by LF and every LF follows a CR,
// across calls.
type crlf struct{ cr bool }

func (s *crlf) check(b []byte) error {
	for len(b) > 0 {
		if s.cr {
			if b[0] != '\n' {
				return errBareCR
			}
			s.cr, b = false, b[1:]
			continue
		}
		cr, lf := bytes.IndexByte(b, '\r'), bytes.IndexByte(b, '\n')
		switch {
		case lf >= 0 && (cr < 0 || lf < cr):
			return errBareLF
		case cr < 0:
			return nil
		}
		s.cr, b = true, b[cr+1:]
	}
	return nil
}

// read gives go-smtp the client's next line (or part of it, if p is short),
// after checking it. It never gives more than one line per call, so go-smtp
// has read nothing ahead when it writes a reply, and the mode a reply sets
// (354, 334) applies to exactly the next line. Message text is the
// exception: it gets no reply until its final dot, so the lines that wait
// whole behind a text line go along with it (moreText). Text after DATA
// mostly does not come this way: session.Data reads it itself (text.go),
// and go-smtp reads here only its final dot, or the rest of a message it
// discards.
func (c *clientConn) read(g *segment, p []byte) (int, error) {
	if g.ended {
		return 0, io.EOF
	}
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	for {
		if c.mode == modeChunk {
			return c.readChunk(p)
		}
		line, err := c.nextLine()
		if err != nil {
			return 0, err
		}

		switch c.mode {
		case modeCommand:
			pass, err := c.command(line)
			if err != nil {
				return 0, err
			}
			if !pass {
				c.extendReadDeadline()
				continue
			}
		case modeAuth:
			c.mode = modeCommand // a further 334 sets it again
		case modeData:
			if string(line) == ".\r\n" {
				c.mode = modeCommand
			}
		}
		n := copy(p, line)
		c.pending = append(c.pending[:0], line[n:]...)
		if n == len(line) && c.mode == modeData {
			n += c.moreText(p[n:])
		}
		c.lineDone()
		return n, nil
	}
}

// nextLine reads the client's next line for the current mode, checked: it
// refuses a bare CR or LF, and deals with lines too long for the mode
// (lineTooLong) and goes on to the next line where the mode allows it.
func (c *clientConn) nextLine() ([]byte, error) {
	for {
		limit := maxAuthLine
		if c.mode == modeData {
			limit = maxTextLine + 1
		}
		line, err := c.readLine(limit)
		switch {
		case errors.Is(err, errBareLF):
			return nil, c.refuse(replyBareLF)
		case errors.Is(err, errBareCR):
			return nil, c.refuse(replyBareCR)
		case errors.Is(err, errLineTooLong):
			if err := c.lineTooLong(); err != nil {
				return nil, err
			}
			continue
		case err != nil:
			return nil, c.readError(err)
		}
		if c.mode == modeData && len(line) > maxTextLine && line[0] != '.' {
			c.lineTooLong() // a stuffed dot may make a line one octet longer
			continue
		}
		return line, nil
	}
}

// moreText copies into p, in message text, the lines that wait whole in
// the line reader, as many as fit, up to and including the final dot, and
// returns how many bytes it copied. It stops before a line that read must
// look at alone: one not yet whole, too long, or with a bare CR or LF.
func (c *clientConn) moreText(p []byte) int {
	waiting, _ := c.br.Peek(c.br.Buffered())
	n := 0
	for c.mode == modeData {
		end := bytes.IndexByte(waiting, '\n') + 1
		if end == 0 || end > len(p)-n || !plainTextLine(waiting[:end]) {
			break
		}
		line := waiting[:end]
		n += copy(p[n:], line)
		waiting = waiting[end:]
		if string(line) == ".\r\n" {
			c.mode = modeCommand
		}
	}
	c.br.Discard(n)
	return n
}

// plainTextLine reports whether line, which ends at its only LF, is a text
// line read passes as it is: within maxTextLine, with CRLF and no other CR.
func plainTextLine(line []byte) bool {
	body, ok := bytes.CutSuffix(line, crlfBytes)
	return ok && len(line) <= maxTextLine && bytes.IndexByte(body, '\r') < 0
}

var crlfBytes = []byte("\r\n")

// readLine reads one line, CRLF included, of at most limit octets. A longer
// line is skipped to its end and errLineTooLong returned.
func (c *clientConn) readLine(limit int) ([]byte, error) {
	br, err := c.reader()
	if err != nil {
		return nil, err
	}
	var st crlf
	for skipping := false; ; {
		line, err := br.ReadSlice('\n')
		if e := st.check(line); e != nil {
			return nil, e
		}
		switch {
		case err == bufio.ErrBufferFull:
			skipping = true
		case err != nil:
			return nil, err // a partial last line is not a line
		case skipping || len(line) > limit:
			return nil, errLineTooLong
		default:
			return line, nil
		}
	}
}

// lineTooLong deals with an over-long line in the current mode.
func (c *clientConn) lineTooLong() error {
	switch c.mode {
	case modeData:
		// The message goes on to its final dot and is then refused.
		c.setDataError(errTextLineTooLong)
		return nil
	case modeAuth:
		return c.refuse(replyAuthLineTooLong)
	default:
		return c.reply(replyCommandTooLong)
	}
}

// readChunk passes BDAT chunk bytes through, checking line endings across
// chunk boundaries.
func (c *clientConn) readChunk(p []byte) (int, error) {
	if int64(len(p)) > c.chunkLeft {
		p = p[:c.chunkLeft]
	}
	br, err := c.reader()
	if err != nil {
		return 0, c.readError(err)
	}
	n, err := br.Read(p)
	c.lineDone()
	if e := c.chunkCRLF.check(p[:n]); e != nil {
		if errors.Is(e, errBareLF) {
			return 0, c.refuse(replyBareLF)
		}
		return 0, c.refuse(replyBareCR)
	}
	c.chunkLeft -= int64(n)
	if c.chunkLeft == 0 {
		c.mode = modeCommand
	}
	if err == io.EOF && c.chunkLeft > 0 {
		// go-smtp copies a chunk with io.Copy, which takes io.EOF for a
		// complete chunk and would deliver a truncated message.
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return n, c.readError(err)
	}
	return n, nil
}

// refuse answers a broken stream with line and closes the connection.
func (c *clientConn) refuse(line string) error {
	c.reply(line)
	c.close()
	return net.ErrClosed
}

// readError reports a read error to go-smtp in the form it takes as a
// normal end: net.ErrClosed once the sandbox has closed the connection.
func (c *clientConn) readError(err error) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return net.ErrClosed
	}
	return err
}

// extendReadDeadline restarts the idle timer after a command the sandbox
// answered itself (go-smtp set it before asking for the line).
func (c *clientConn) extendReadDeadline() {
	c.raw.SetReadDeadline(time.Now().Add(commandTimeout))
}

// errTextLineTooLong is Session.Data's answer to a message with an over-long
// line; 500 5.5.2 as issue 4 asks for over-long lines.
var errTextLineTooLong = smtpError(500, 5, 5, 2, fmt.Sprintf(
	"Line too long: a line of your message has more than %d octets including CRLF (RFC 5321 section 4.5.3.1.6); message not stored",
	maxTextLine))
