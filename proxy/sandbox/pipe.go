package sandbox

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// The in-process connection between the proxy and the sandbox. Unlike
// net.Pipe it is buffered: a write returns once its bytes are queued, up to
// pipeLimit, so the proxy reads the next websocket frame while the sandbox
// parses the last one. The queue's memory is taken from a pool when bytes
// arrive and given back when they are read, so an idle connection holds
// none, and WaitRead lets a reader wait for bytes without a buffer of its
// own.

// pipeLimit is the size of a queue: a write waits while it is full. It
// holds one whole websocket frame (wire.MaxMessage).
const pipeLimit = 64 << 10

// pipeLowWater is how few bytes a full queue's reader must have left unread
// before a waiting writer is woken. The sandbox reads a frame in several
// reads (its line reader's size); a writer woken by every one of them would
// queue a sliver each time and wait again, two goroutine switches per read.
// Woken here, it queues at least half a queue at once.
const pipeLowWater = pipeLimit / 2

var pipeChunks = sync.Pool{New: func() any { b := make([]byte, 0, pipeLimit); return &b }}

// newPipe returns the two ends of an in-process connection.
func newPipe(a, b net.Addr) (net.Conn, net.Conn) {
	ab, ba := newPipeQueue(), newPipeQueue()
	return &pipeEnd{in: ba, out: ab, local: a, remote: b}, &pipeEnd{in: ab, out: ba, local: b, remote: a}
}

// pipeQueue is one direction of a pipe.
type pipeQueue struct {
	mu       sync.Mutex
	readable sync.Cond // bytes queued, an end closed, a deadline passed
	writable sync.Cond // drained to pipeLowWater, an end closed, a deadline passed
	buf      *[]byte   // from pipeChunks, nil while empty
	r        int       // (*buf)[r:] is unread

	writerGone bool // the writing end closed: reads drain the queue, then io.EOF
	readerGone bool // the reading end closed: writes fail

	// wake, when set, runs once, outside the lock, when the first bytes are
	// queued or the writing end closes (lazy.go).
	wake func()

	readDeadline, writeDeadline deadline
}

func newPipeQueue() *pipeQueue {
	q := &pipeQueue{}
	q.readable.L, q.writable.L = &q.mu, &q.mu
	return q
}

// changed wakes every waiter, reader and writer; q.mu is held.
func (q *pipeQueue) changed() {
	q.readable.Broadcast()
	q.writable.Broadcast()
}

func (q *pipeQueue) unread() int {
	if q.buf == nil {
		return 0
	}
	return len(*q.buf) - q.r
}

// deadline is a read or write deadline and the timer that wakes the waiters
// when it passes.
type deadline struct {
	at    time.Time
	timer *time.Timer
}

// set changes the deadline; q.mu is held.
func (d *deadline) set(q *pipeQueue, t time.Time) {
	d.at = t
	if d.timer != nil {
		d.timer.Stop()
	}
	if t.IsZero() {
		return
	}
	wait := time.Until(t)
	if d.timer == nil {
		d.timer = time.AfterFunc(wait, func() {
			q.mu.Lock()
			q.changed()
			q.mu.Unlock()
		})
		return
	}
	d.timer.Reset(wait)
}

func (d *deadline) passed() bool { return !d.at.IsZero() && !time.Now().Before(d.at) }

func (d *deadline) stop() {
	if d.timer != nil {
		d.timer.Stop()
	}
}

// pipeEnd is one end of a pipe.
type pipeEnd struct {
	in, out       *pipeQueue
	local, remote net.Addr
	closeOnce     sync.Once
}

// WaitRead waits until a Read would not block: bytes are queued, the other
// end has closed, or the read deadline has passed.
func (e *pipeEnd) WaitRead() error {
	q := e.in
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		switch {
		case q.readerGone:
			return io.ErrClosedPipe
		case q.unread() > 0 || q.writerGone:
			return nil
		case q.readDeadline.passed():
			return os.ErrDeadlineExceeded
		}
		q.readable.Wait()
	}
}

// Read implements net.Conn: it takes as much of what is queued as p holds.
func (e *pipeEnd) Read(p []byte) (int, error) {
	q := e.in
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		switch {
		case q.readerGone:
			return 0, io.ErrClosedPipe
		case len(p) == 0:
			return 0, nil
		case q.unread() > 0:
			n := copy(p, (*q.buf)[q.r:])
			q.r += n
			if q.r == len(*q.buf) {
				q.release()
			}
			if q.unread() <= pipeLowWater {
				q.writable.Broadcast()
			}
			return n, nil
		case q.writerGone:
			return 0, io.EOF
		case q.readDeadline.passed():
			return 0, os.ErrDeadlineExceeded
		}
		q.readable.Wait()
	}
}

// release gives the drained queue back to the pool; q.mu is held.
func (q *pipeQueue) release() {
	if cap(*q.buf) == pipeLimit {
		*q.buf = (*q.buf)[:0]
		pipeChunks.Put(q.buf)
	}
	q.buf, q.r = nil, 0
}

// Write implements net.Conn: it queues p, waiting while pipeLimit bytes
// are unread until the reader has left no more than pipeLowWater.
func (e *pipeEnd) Write(p []byte) (int, error) {
	q := e.out
	defer q.woken()
	q.mu.Lock()
	defer q.mu.Unlock()
	written := 0
	for {
		switch {
		case q.writerGone || q.readerGone:
			return written, io.ErrClosedPipe
		case len(p) == 0:
			return written, nil
		case q.writeDeadline.passed():
			return written, os.ErrDeadlineExceeded
		}
		if room := pipeLimit - q.unread(); room > 0 {
			n := min(room, len(p))
			if q.buf == nil {
				q.buf = pipeChunks.Get().(*[]byte)
			}
			if q.r > 0 && len(*q.buf)+n > cap(*q.buf) { // move the unread bytes to the front first
				*q.buf = (*q.buf)[:copy(*q.buf, (*q.buf)[q.r:])]
				q.r = 0
			}
			*q.buf = append(*q.buf, p[:n]...)
			p, written = p[n:], written+n
			q.readable.Broadcast()
			continue
		}
		q.writable.Wait()
	}
}

// onWake sets q.wake; it runs at once if bytes are queued or the writer
// has gone already.
func (q *pipeQueue) onWake(f func()) {
	q.mu.Lock()
	q.wake = f
	q.mu.Unlock()
	q.woken()
}

// woken runs wake, once, when there is something to read.
func (q *pipeQueue) woken() {
	q.mu.Lock()
	f := q.wake
	if f != nil && (q.unread() > 0 || q.writerGone) {
		q.wake = nil
	} else {
		f = nil
	}
	q.mu.Unlock()
	if f != nil {
		f()
	}
}

// Close implements net.Conn: the other end reads what is queued and then
// io.EOF, and its writes fail.
func (e *pipeEnd) Close() error {
	defer e.out.woken()
	e.closeOnce.Do(func() {
		for _, q := range []*pipeQueue{e.in, e.out} {
			q.mu.Lock()
			if q == e.in {
				q.readerGone = true
				if q.buf != nil {
					q.release()
				}
			} else {
				q.writerGone = true
			}
			q.readDeadline.stop()
			q.writeDeadline.stop()
			q.changed()
			q.mu.Unlock()
		}
	})
	return nil
}

func (e *pipeEnd) LocalAddr() net.Addr  { return e.local }
func (e *pipeEnd) RemoteAddr() net.Addr { return e.remote }

func (e *pipeEnd) SetReadDeadline(t time.Time) error {
	e.in.mu.Lock()
	defer e.in.mu.Unlock()
	e.in.readDeadline.set(e.in, t)
	e.in.changed()
	return nil
}

func (e *pipeEnd) SetWriteDeadline(t time.Time) error {
	e.out.mu.Lock()
	defer e.out.mu.Unlock()
	e.out.writeDeadline.set(e.out, t)
	e.out.changed()
	return nil
}

func (e *pipeEnd) SetDeadline(t time.Time) error {
	e.SetReadDeadline(t)
	return e.SetWriteDeadline(t)
}
