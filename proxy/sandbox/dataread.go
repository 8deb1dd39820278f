package sandbox

import (
	"io"
	"sync"

	"github.com/emersion/go-smtp"
)

// DATA is read whole before it is stored (session.Data). It is read into
// chunks from pools: a small one first, which most messages fit in, then
// large ones. A message that fits in the first chunk is used from there:
// the store copies it once, behind its trace headers, into a slice of its
// exact size. A longer one is copied from its chunks once, into a slice of
// its size with room for the trace headers before it (traceRoom), which
// the store then keeps as it is. io.ReadAll would allocate a dozen growing slices for a
// large message and clear the last, message-sized one in a stretch the
// garbage collector cannot interrupt. A client that declared a size (SIZE,
// RFC 1870) larger than a large chunk gets its slice once half of that has
// arrived, and the rest is read straight into it: declaring a size costs
// the sandbox no more memory than sending half of it.
//
// The first chunk is small because pools are emptied by the garbage
// collector, which runs often while mail pours in: a chunk made anew must
// be cleared, and a large one is a span of its own that the runtime gives
// back to the system and takes again.

// firstChunk and dataChunk are the sizes of the chunks DATA is read into:
// the first, and any further one.
const (
	firstChunk = 8 << 10
	dataChunk  = 64 << 10
)

// traceRoom is the room a message read into a slice of its own has before
// it, for the trace headers the store puts in front (session.stored).
const traceRoom = 1 << 10

// dataRead is the most one read asks for. go-smtp's reader returns only
// once it has filled what it is given, and bytes count in flight only once
// returned (store_inflight.go): small reads keep what is held and not yet
// counted small. It is the size of go-smtp's own buffer.
const dataRead = 4 << 10

var (
	firstChunks = sync.Pool{New: func() any { b := make([]byte, firstChunk); return &b }}
	dataChunks  = sync.Pool{New: func() any { b := make([]byte, dataChunk); return &b }}
)

// chunkPool is where the i-th chunk of a message comes from.
func chunkPool(i int) *sync.Pool {
	if i == 0 {
		return &firstChunks
	}
	return &dataChunks
}

// declaredSize is the message size the client declared with MAIL, within
// max; 0 when it declared none.
func declaredSize(opts *smtp.MailOptions, max int64) int64 {
	if opts == nil || opts.Size <= 0 {
		return 0
	}
	return min(opts.Size, max)
}

// dataBuf is DATA as read. data may lie in a pooled chunk: it is valid
// until release, which must be called. Otherwise it is the message's own,
// at the end of own: traceRoom bytes, then data.
type dataBuf struct {
	data   []byte
	chunks []*[]byte
	own    []byte
}

// owned makes the dataBuf of a message read into buf after traceRoom bytes.
func owned(buf []byte) dataBuf {
	return dataBuf{data: buf[traceRoom:], own: buf}
}

// release gives the chunks back to the pool.
func (d *dataBuf) release() {
	for i, c := range d.chunks {
		chunkPool(i).Put(c)
	}
	d.chunks = nil
}

// readData reads r to its end. declared is the size the client declared,
// 0 when none.
func readData(r io.Reader, declared int64) (dataBuf, error) {
	var d dataBuf
	size, last := 0, 0 // bytes read, bytes in the last chunk
	for {
		if declared > dataChunk && 2*int64(size) >= declared {
			buf := gather(make([]byte, traceRoom, traceRoom+max(declared, int64(size))), d.chunks, last)
			d.release()
			buf, err := readRest(r, buf)
			if err != nil {
				return dataBuf{}, err
			}
			return owned(buf), nil
		}
		if len(d.chunks) == 0 || last == len(*d.chunks[len(d.chunks)-1]) {
			d.chunks, last = append(d.chunks, chunkPool(len(d.chunks)).Get().(*[]byte)), 0
		}
		chunk := *d.chunks[len(d.chunks)-1]
		n, err := r.Read(chunk[last:min(last+dataRead, len(chunk))])
		size, last = size+n, last+n
		if err == io.EOF {
			if len(d.chunks) == 1 {
				d.data = (*d.chunks[0])[:last] // used in place: the store copies it
			} else {
				buf := gather(make([]byte, traceRoom, traceRoom+size), d.chunks, last)
				d.release()
				d = owned(buf)
			}
			return d, nil
		}
		if err != nil {
			d.release()
			return dataBuf{}, err
		}
	}
}

// gather appends the bytes of chunks, the last of which holds last bytes.
func gather(buf []byte, chunks []*[]byte, last int) []byte {
	for i, c := range chunks {
		if i == len(chunks)-1 {
			return append(buf, (*c)[:last]...)
		}
		buf = append(buf, *c...)
	}
	return buf
}

// readRest reads r to its end after buf, within buf's capacity as long as
// the message keeps to it.
func readRest(r io.Reader, buf []byte) ([]byte, error) {
	var probe [1]byte
	for {
		room := buf[len(buf):min(len(buf)+dataRead, cap(buf))]
		if len(room) == 0 { // full: at its end, or longer than declared
			room = probe[:]
		}
		n, err := r.Read(room)
		if len(buf) == cap(buf) {
			buf = append(buf, probe[:n]...)
		} else {
			buf = buf[:len(buf)+n]
		}
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		}
	}
}
