package tunnel

import (
	"bytes"
	"io"
)

// maxPiece is the most server bytes one binary frame carries: a longer line is
// sent in pieces of this size (PROTOCOL.md, "Proxy → client").
const maxPiece = 8192

// piecePool holds the lineReaders' buffers (pooled.go).
var piecePool = newBufPool(maxPiece)

// lineReader splits server output into lines ending at LF, and overlong lines
// into maxPiece pieces, without copying or re-encoding a byte. It holds a
// buffer only while bytes wait in it.
type lineReader struct {
	r    *freshReader
	buf  *[]byte // from piecePool; nil while nothing waits
	i, j int     // (*buf)[i:j] is read and not yet returned
	err  error   // the read error, returned once the buffer is drained
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: newFreshReader(r, piecePool)} }

// next returns the next line or piece. The slice is valid until the next call.
// At end of stream a last piece without LF is returned before the error.
func (l *lineReader) next() ([]byte, error) {
	if l.buf != nil && l.i == l.j {
		l.release()
	}
	for {
		if l.buf != nil {
			b := (*l.buf)[l.i:l.j]
			if k := bytes.IndexByte(b, '\n'); k >= 0 {
				l.i += k + 1
				return b[:k+1], nil
			}
			if len(b) == maxPiece || l.err != nil {
				l.i = l.j
				return b, nil
			}
		}
		if l.err != nil {
			return nil, l.err
		}
		l.fill()
	}
}

// fill reads more bytes: into a fresh buffer when none is held, else after
// the partial line it holds.
func (l *lineReader) fill() {
	if l.buf == nil {
		l.buf, l.j, l.err = l.r.read()
		l.i = 0
		return
	}
	buf := *l.buf
	if l.i > 0 {
		l.j = copy(buf, buf[l.i:l.j])
		l.i = 0
	}
	n, err := l.r.r.Read(buf[l.j:])
	l.j += n
	l.err = err
}

// release gives the buffer back to the pool.
func (l *lineReader) release() {
	piecePool.put(l.buf)
	l.buf, l.i, l.j = nil, 0, 0
}

// discard drops the bytes read from the server and not yet returned, and
// says how many there were.
func (l *lineReader) discard() int {
	n := l.j - l.i
	if l.buf != nil {
		l.release()
	}
	return n
}
