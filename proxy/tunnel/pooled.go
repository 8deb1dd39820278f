package tunnel

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
)

// An idle session holds no read buffer: its reads wait for bytes first and
// only then borrow a buffer from a pool, which goes back as soon as it is
// drained. Thousands of sessions that wait for someone to type thus share a
// handful of buffers.

// readWaiter is a connection that can wait until a read would not block
// without holding a buffer: the sandbox's in-process pipe.
type readWaiter interface {
	WaitRead() error
}

// bufPool is a pool of buffers of one size.
type bufPool struct {
	size int
	pool sync.Pool
}

func newBufPool(size int) *bufPool {
	p := &bufPool{size: size}
	p.pool.New = func() any { b := make([]byte, size); return &b }
	return p
}

func (p *bufPool) get() *[]byte  { return p.pool.Get().(*[]byte) }
func (p *bufPool) put(b *[]byte) { p.pool.Put(b) }

// freshReader waits for bytes on r and reads them into a buffer from pool,
// which the caller gives back. On a socket it waits in the poller with no
// buffer held; on a readWaiter, in WaitRead; on anything else (a TLS
// stream) it reads with the buffer held. It is made once per stream, so
// that a read allocates nothing: the socket's RawConn and the poller's
// callback are made here, and the callback leaves its results in the
// reader.
type freshReader struct {
	r    io.Reader
	pool *bufPool
	rc   syscall.RawConn       // r's, when r is a socket
	onFD func(fd uintptr) bool // rc.Read's callback: readFD

	// what the last onFD read
	buf *[]byte
	n   int
	err error
}

func newFreshReader(r io.Reader, pool *bufPool) *freshReader {
	f := &freshReader{r: r, pool: pool}
	if c, ok := r.(syscall.Conn); ok {
		if rc, err := c.SyscallConn(); err == nil {
			f.rc, f.onFD = rc, f.readFD
		}
	}
	return f
}

// read returns a buffer from the pool holding n > 0 bytes, or an error.
func (f *freshReader) read() (*[]byte, int, error) {
	if f.rc != nil {
		return f.readRaw()
	}
	if w, ok := f.r.(readWaiter); ok {
		if err := w.WaitRead(); err != nil {
			return nil, 0, err
		}
	}
	buf := f.pool.get()
	n, err := f.r.Read(*buf)
	if n == 0 {
		f.pool.put(buf)
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, 0, err
	}
	return buf, n, nil // an error comes back on the next read
}

// readRaw reads a socket in the poller's callback: a buffer is taken only
// when the read does not find the socket empty.
func (f *freshReader) readRaw() (*[]byte, int, error) {
	err := f.rc.Read(f.onFD)
	buf, n, rerr := f.buf, f.n, f.err
	f.buf, f.n, f.err = nil, 0, nil
	switch {
	case err != nil:
		rerr = err
	case rerr != nil:
		rerr = os.NewSyscallError("read", rerr)
	case n == 0:
		rerr = io.EOF
	}
	if rerr != nil {
		if buf != nil {
			f.pool.put(buf)
		}
		return nil, 0, rerr
	}
	return buf, n, nil
}

// readFD is readRaw's callback: it reads fd into a pooled buffer, and
// reports false (wait for the poller, then call again) when fd is empty.
func (f *freshReader) readFD(fd uintptr) bool {
	f.buf = f.pool.get()
	for {
		f.n, f.err = syscall.Read(int(fd), *f.buf)
		if f.err != syscall.EINTR {
			break
		}
	}
	if errors.Is(f.err, syscall.EAGAIN) {
		f.pool.put(f.buf)
		f.buf, f.n, f.err = nil, 0, nil
		return false
	}
	return true
}
