package sandbox

import (
	"bytes"
	"io"
	"sync"
)

// DATA is read into a buffer that is used again for the next message: the
// message is then copied once, behind its trace headers, into the stored
// message (session.stored). io.ReadAll would grow a new buffer by doubling
// for every message, and the store would copy it once more.

// dataBuffers are the buffers DATA is read into.
var dataBuffers = sync.Pool{New: func() any { return new(dataBuffer) }}

// maxPooledData bounds the buffers put back in dataBuffers, so a big
// message's buffer is not kept after it.
const maxPooledData = 1 << 20

// dataBuffer is one message being read.
type dataBuffer struct{ bytes.Buffer }

// takeDataBuffer returns an empty buffer; the caller must call free.
func takeDataBuffer() *dataBuffer { return dataBuffers.Get().(*dataBuffer) }

// readAll reads r to its end into the buffer and returns what it read,
// valid until free.
func (b *dataBuffer) readAll(r io.Reader) ([]byte, error) {
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// free gives the buffer back.
func (b *dataBuffer) free() {
	if b.Cap() > maxPooledData {
		return
	}
	b.Reset()
	dataBuffers.Put(b)
}
