package sandbox

import (
	"bytes"
	"io"

	"github.com/emersion/go-smtp"
)

// Message text after DATA is read by the sandbox itself, not through
// go-smtp. go-smtp's DATA reader takes the text one byte at a time from its
// own buffer, which the sandbox has filled from its line reader; a message
// cost that twice over, and more than all the rest of a transaction.
// Instead session.Data reads the text with a textReader straight from the
// connection's line reader, a line at a time, checked as read() checks it,
// dot-unstuffed and limited exactly as go-smtp's reader does it. When the
// text has ended, go-smtp is given only the final dot, so its reader ends
// at once and go-smtp answers as usual. If Data stops early (a limit, a
// share), the rest of the text goes through go-smtp, which discards it.
// BDAT chunks still go through go-smtp (readChunk): they have no 354.

// textReader reads the text of the message after 354 from c, as go-smtp's
// DATA reader would give it.
type textReader struct {
	c       *clientConn
	limited bool
	left    int64  // octets the message may still have, if limited
	rest    []byte // the rest of the current line; in c.br
	ended   bool   // the final dot has been read
}

// newTextReader reads the text of the message c has said 354 for. max is
// go-smtp's MaxMessageBytes; 0 for none.
func newTextReader(c *clientConn, max int64) *textReader {
	return &textReader{c: c, limited: max > 0, left: max}
}

// Read gives at least one octet of text, waiting for it, and then as much
// as waits whole in the line reader, up to the final dot. Like go-smtp's
// reader, it fails with smtp.ErrDataTooLarge once MaxMessageBytes octets
// have been read and the text goes on, and counts no dot-stuffing.
func (t *textReader) Read(p []byte) (int, error) {
	if t.limited {
		if t.left <= 0 {
			return 0, smtp.ErrDataTooLarge
		}
		if int64(len(p)) > t.left {
			p = p[:t.left]
		}
	}
	n, err := t.read(p)
	t.left -= int64(n)
	return n, err
}

func (t *textReader) read(p []byte) (int, error) {
	c := t.c
	n := 0
	for n < len(p) {
		if len(t.rest) > 0 {
			m := copy(p[n:], t.rest)
			t.rest = t.rest[m:]
			n += m
			continue
		}
		if t.ended || n > 0 && !c.lineWaiting() {
			break
		}
		line, err := c.nextLine()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the text did not end: nothing is stored
		}
		if err != nil {
			return n, err
		}
		if string(line) == ".\r\n" {
			// go-smtp's reader gets the final dot alone, and ends.
			t.ended = true
			c.mode = modeCommand
			c.pending = append(c.pending[:0], line...)
			break
		}
		if line[0] == '.' {
			line = line[1:]
		}
		t.rest = line
	}
	if len(t.rest) == 0 {
		c.lineDone()
		if t.ended {
			return n, io.EOF
		}
	}
	return n, nil
}

// lineWaiting reports whether a whole line waits in the line reader.
func (c *clientConn) lineWaiting() bool {
	if c.br == nil {
		return false
	}
	waiting, _ := c.br.Peek(c.br.Buffered())
	return bytes.IndexByte(waiting, '\n') >= 0
}

// takeText reports whether go-smtp has just said 354 and is about to call
// Session.Data for the text that follows, and forgets it.
func (c *clientConn) takeText() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	text := c.text
	c.text = false
	return text
}
