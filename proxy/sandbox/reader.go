package sandbox

import (
	"bufio"
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

// readers are the connections' line readers. A connection borrows one when
// bytes arrive and gives it back once it has read them all, so an idle
// connection on the in-process pipe holds none.
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
	for _, ch := range b {
		switch {
		case s.cr && ch != '\n':
			return errBareCR
		case !s.cr && ch == '\n':
			return errBareLF
		}
		s.cr = ch == '\r'
	}
	return nil
}

// read gives go-smtp the client's next line (or part of it, if p is short),
// after checking it. It never gives more than one line per call, so go-smtp
// has read nothing ahead when it writes a reply, and the mode a reply sets
// (354, 334) applies to exactly the next line.
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
		limit := maxAuthLine
		if c.mode == modeData {
			limit = maxTextLine + 1
		}
		line, err := c.readLine(limit)
		switch {
		case errors.Is(err, errBareLF):
			return 0, c.refuse(replyBareLF)
		case errors.Is(err, errBareCR):
			return 0, c.refuse(replyBareCR)
		case errors.Is(err, errLineTooLong):
			if err := c.lineTooLong(); err != nil {
				return 0, err
			}
			continue
		case err != nil:
			return 0, c.readError(err)
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
			if len(line) > maxTextLine && line[0] != '.' {
				c.lineTooLong()
				continue
			}
			if string(line) == ".\r\n" {
				c.mode = modeCommand
			}
		}
		n := copy(p, line)
		c.pending = append(c.pending[:0], line[n:]...)
		c.releaseReader()
		return n, nil
	}
}

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
	c.releaseReader()
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
