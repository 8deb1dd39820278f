package tunnel

import (
	"bufio"
	"errors"
	"io"
)

// maxPiece is the most server bytes one binary frame carries: a longer line is
// sent in pieces of this size (PROTOCOL.md, "Proxy → client").
const maxPiece = 8192

// lineReader splits server output into lines ending at LF, and overlong lines
// into maxPiece pieces, without copying or re-encoding a byte.
type lineReader struct {
	r *bufio.Reader
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, maxPiece)}
}

// next returns the next line or piece. The slice is valid until the next call.
// At end of stream a last piece without LF is returned before io.EOF.
func (l *lineReader) next() ([]byte, error) {
	piece, err := l.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return piece, nil
	}
	if len(piece) > 0 && err != nil {
		return piece, nil // the error comes back on the next call
	}
	return piece, err
}

// buffered is the number of bytes read from the server but not yet returned.
func (l *lineReader) buffered() int { return l.r.Buffered() }
