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

// readFresh waits for bytes on r and reads them into a buffer from pool,
// which the caller gives back. On a socket it waits in the poller with no
// buffer held; on a readWaiter, in WaitRead; on anything else (a TLS
// stream) it reads with the buffer held.
func readFresh(r io.Reader, pool *bufPool) (*[]byte, int, error) {
	switch c := r.(type) {
	case syscall.Conn:
		if rc, err := c.SyscallConn(); err == nil {
			return readRaw(rc, pool)
		}
	case readWaiter:
		if err := c.WaitRead(); err != nil {
			return nil, 0, err
		}
	}
	buf := pool.get()
	n, err := r.Read(*buf)
	if n == 0 {
		pool.put(buf)
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, 0, err
	}
	return buf, n, nil // an error comes back on the next read
}

// readRaw reads a socket in the poller's callback: a buffer is taken only
// when the read does not find the socket empty.
func readRaw(rc syscall.RawConn, pool *bufPool) (*[]byte, int, error) {
	var (
		buf  *[]byte
		n    int
		rerr error
	)
	err := rc.Read(func(fd uintptr) bool {
		buf = pool.get()
		for {
			n, rerr = syscall.Read(int(fd), *buf)
			if rerr != syscall.EINTR {
				break
			}
		}
		if errors.Is(rerr, syscall.EAGAIN) {
			pool.put(buf)
			buf = nil
			return false // wait for the poller, and try again
		}
		return true
	})
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
			pool.put(buf)
		}
		return nil, 0, rerr
	}
	return buf, n, nil
}
