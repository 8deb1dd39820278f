package sandbox

import (
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"time"
)

// The in-process connection between the proxy and the sandbox. Unlike
// net.Pipe it is buffered: a write returns once its bytes are queued, up to
// pipeLimit, so the proxy reads the next websocket frames while the sandbox
// parses the last ones. A queue keeps its bytes in chunks from a pool,
// taken as bytes arrive and given back as each is read, so an idle
// connection holds none and a few queued bytes hold one chunk; WaitRead
// lets a reader wait for bytes without a buffer of its own.

// pipeChunk is the size of the chunks a queue keeps its bytes in: one
// whole websocket frame (wire.MaxMessage).
const pipeChunk = 64 << 10

// pipeLimit is the most a queue holds: a write waits while it is full.
// Four frames: with room for one only, the proxy waited for the sandbox
// after every frame, and a message went through the in-process sandbox
// slower than through a TCP socket to it, whose kernel buffer is larger
// (BenchmarkDATA, e2e/bench).
const pipeLimit = 4 * pipeChunk

// pipeLowWater is how few bytes a full queue's reader must have left unread
// before a waiting writer is woken. The sandbox reads a frame in several
// reads (its line reader's size); a writer woken by every one of them would
// queue a sliver each time and wait again, two goroutine switches per read.
// Woken here, it queues at least half a queue at once.
const pipeLowWater = pipeLimit / 2

var pipeChunks = sync.Pool{New: func() any { b := make([]byte, 0, pipeChunk); return &b }}

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
	chunks   []*[]byte // from pipeChunks, in order; only the last may have room left
	r        int       // (*chunks[0])[r:] is unread
	queued   int       // the bytes unread, in all chunks

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

func (q *pipeQueue) unread() int { return q.queued }

// push queues p, which fits; q.mu is held.
func (q *pipeQueue) push(p []byte) {
	q.queued += len(p)
	for len(p) > 0 {
		if len(q.chunks) == 0 || q.lastFull() {
			q.chunks = append(q.chunks, pipeChunks.Get().(*[]byte))
		}
		last := q.chunks[len(q.chunks)-1]
		n := min(cap(*last)-len(*last), len(p))
		*last = append(*last, p[:n]...)
		p = p[n:]
	}
}

// lastFull reports whether the last chunk has no room left; q.mu is held.
func (q *pipeQueue) lastFull() bool {
	last := q.chunks[len(q.chunks)-1]
	return len(*last) == cap(*last)
}

// pop moves queued bytes to p, as many as it holds, giving each chunk back
// once it has been read; q.mu is held.
func (q *pipeQueue) pop(p []byte) int {
	n := 0
	for n < len(p) && q.queued > 0 {
		first := *q.chunks[0]
		k := copy(p[n:], first[q.r:])
		n, q.r, q.queued = n+k, q.r+k, q.queued-k
		if q.r == len(first) {
			q.releaseFirst()
		}
	}
	return n
}

// releaseFirst gives the first chunk back to the pool; q.mu is held.
func (q *pipeQueue) releaseFirst() {
	c := q.chunks[0]
	*c = (*c)[:0]
	pipeChunks.Put(c)
	q.chunks = slices.Delete(q.chunks, 0, 1)
	q.r = 0
}

// release gives every chunk back, dropping what they hold; q.mu is held.
func (q *pipeQueue) release() {
	for len(q.chunks) > 0 {
		q.releaseFirst()
	}
	q.queued = 0
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
			n := q.pop(p)
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
			q.push(p[:n])
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
				q.release()
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
