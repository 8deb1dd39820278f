package sandbox

import (
	"io"
	"slices"
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

// dataReadSize is the most one Read asks for. go-smtp's DATA reader fills
// what it is given before it returns, and bytes it holds are not yet
// counted in flight (store_inflight.go): small reads keep that count close
// to what has arrived.
const dataReadSize = 512

// dataBuffer is one message being read.
type dataBuffer struct{ b []byte }

// takeDataBuffer returns an empty buffer; the caller must call free.
func takeDataBuffer() *dataBuffer { return dataBuffers.Get().(*dataBuffer) }

// readAll reads r to its end into the buffer and returns what it read,
// valid until free.
func (d *dataBuffer) readAll(r io.Reader) ([]byte, error) {
	b := d.b[:0]
	for {
		b = slices.Grow(b, dataReadSize)
		n, err := r.Read(b[len(b) : len(b)+dataReadSize])
		b = b[:len(b)+n]
		if err != nil {
			d.b = b
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

// free gives the buffer back.
func (d *dataBuffer) free() {
	if cap(d.b) > maxPooledData {
		return
	}
	d.b = d.b[:0]
	dataBuffers.Put(d)
}
