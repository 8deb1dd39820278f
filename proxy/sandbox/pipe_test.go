package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/leaktest"
	"go.uber.org/goleak"
)

// testPipe returns the two ends of a pipe: what is written to w is read
// from r.
func testPipe(t *testing.T) (w, r *pipeEnd) {
	t.Helper()
	a, b := newPipe(pipeAddr("proxy"), pipeAddr("sandbox"))
	t.Cleanup(func() { a.Close(); b.Close() })
	return a.(*pipeEnd), b.(*pipeEnd)
}

// queued is how many bytes wait in q.
func queued(q *pipeQueue) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.unread()
}

// untilQueued waits until q holds n bytes.
func untilQueued(t *testing.T, q *pipeQueue, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); queued(q) != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("queued %d bytes, want %d", queued(q), n)
		}
	}
}

type writeResult struct {
	n   int
	err error
}

// blockedWrite starts writing n bytes to w and returns once the queue is
// full and the write waits for room.
func blockedWrite(t *testing.T, w *pipeEnd, n int) <-chan writeResult {
	t.Helper()
	done := make(chan writeResult, 1)
	go func() {
		n, err := w.Write(bytes.Repeat([]byte("x"), n))
		done <- writeResult{n, err}
	}()
	untilQueued(t, w.out, pipeLimit)
	return done
}

func TestPipeReadTakesAllQueued(t *testing.T) {
	w, r := testPipe(t)
	for _, s := range []string{"MAIL FROM:<a@example.org>\r\n", "RCPT TO:<b@example.org>\r\n", "DATA\r\n"} {
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	p := make([]byte, pipeLimit)
	n, err := r.Read(p)
	if want := "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"; err != nil || string(p[:n]) != want {
		t.Fatalf("Read = %q, %v; want %q", p[:n], err, want)
	}
}

// A writer waiting for room is woken once the reader has drained the queue
// to pipeLowWater, not by every small read before that: it then queues at
// least half a queue at once.
func TestPipeWriterWaitsForLowWater(t *testing.T) {
	w, r := testPipe(t)
	const extra = 3 * pipeLimit / 4
	done := blockedWrite(t, w, pipeLimit+extra)

	p := make([]byte, 4<<10)
	left := pipeLimit
	for left-len(p) > pipeLowWater {
		if _, err := io.ReadFull(r, p); err != nil {
			t.Fatal(err)
		}
		left -= len(p)
		// Nothing may wake the writer: give a woken one the time to show.
		time.Sleep(5 * time.Millisecond)
		if got := queued(r.in); got != left {
			t.Fatalf("after a read to %d bytes, above the low-water mark, the writer queued more: %d", left, got)
		}
	}
	if _, err := io.ReadFull(r, p); err != nil {
		t.Fatal(err)
	}
	left -= len(p)
	untilQueued(t, r.in, min(pipeLimit, left+extra))

	rest, err := io.ReadAll(io.LimitReader(r, int64(left+extra)))
	if err != nil || len(rest) != left+extra {
		t.Fatalf("read the rest: %d bytes, %v", len(rest), err)
	}
	if res := <-done; res.err != nil || res.n != pipeLimit+extra {
		t.Fatalf("Write = %d, %v", res.n, res.err)
	}
}

// A write waiting for room returns when either end closes or its deadline
// passes, having queued what fitted.
func TestPipeBlockedWriterReturns(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	for _, tc := range []struct {
		name string
		stop func(w, r *pipeEnd)
		want error
	}{
		{"reader closes", func(w, r *pipeEnd) { r.Close() }, io.ErrClosedPipe},
		{"writer closes", func(w, r *pipeEnd) { w.Close() }, io.ErrClosedPipe},
		{"write deadline passes", func(w, r *pipeEnd) { w.SetWriteDeadline(time.Now().Add(10 * time.Millisecond)) }, os.ErrDeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, r := testPipe(t)
			done := blockedWrite(t, w, 2*pipeLimit)
			tc.stop(w, r)
			select {
			case res := <-done:
				if !errors.Is(res.err, tc.want) || res.n != pipeLimit {
					t.Errorf("Write = %d, %v; want %d, %v", res.n, res.err, pipeLimit, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the write still waits")
			}
		})
	}
	leaktest.Check(t, ignore)
}

// A reader waiting for bytes is woken by a write, by the writer's close
// (io.EOF once the queue is drained) and by its deadline.
func TestPipeBlockedReaderReturns(t *testing.T) {
	w, r := testPipe(t)
	read := func() <-chan error {
		done := make(chan error, 1)
		go func() {
			p := make([]byte, 16)
			n, err := r.Read(p)
			if err == nil && string(p[:n]) != "NOOP\r\n" {
				err = errors.New("read " + string(p[:n]))
			}
			done <- err
		}()
		return done
	}
	wait := func(done <-chan error, want error) {
		t.Helper()
		select {
		case err := <-done:
			if !errors.Is(err, want) {
				t.Errorf("Read: %v, want %v", err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the read still waits")
		}
	}

	done := read()
	time.Sleep(5 * time.Millisecond)
	w.Write([]byte("NOOP\r\n"))
	wait(done, nil)

	r.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	wait(read(), os.ErrDeadlineExceeded)
	r.SetReadDeadline(time.Time{})

	done = read()
	time.Sleep(5 * time.Millisecond)
	w.Close()
	wait(done, io.EOF)
}

// A queue holds its bytes in chunks: a few bytes take one, a full queue
// pipeLimit/pipeChunk, each goes back once it has been read, and a read
// takes bytes across chunks, in order.
func TestPipeChunks(t *testing.T) {
	w, r := testPipe(t)
	chunks := func() int {
		r.in.mu.Lock()
		defer r.in.mu.Unlock()
		return len(r.in.chunks)
	}
	if _, err := w.Write([]byte("NOOP\r\n")); err != nil || chunks() != 1 {
		t.Fatalf("a command took %d chunks (%v), want 1", chunks(), err)
	}
	want := []byte("NOOP\r\n")
	for i := 0; len(want) < pipeLimit; i++ { // lines that straddle chunks
		line := fmt.Appendf(nil, "line %d of a message\r\n", i)
		line = line[:min(len(line), pipeLimit-len(want))]
		if _, err := w.Write(line); err != nil {
			t.Fatal(err)
		}
		want = append(want, line...)
	}
	if got := chunks(); got != pipeLimit/pipeChunk {
		t.Fatalf("a full queue holds %d chunks, want %d", got, pipeLimit/pipeChunk)
	}
	got := make([]byte, pipeLimit+1)
	n, err := r.Read(got[:pipeChunk+10])
	if err != nil || n != pipeChunk+10 || chunks() != pipeLimit/pipeChunk-1 {
		t.Fatalf("Read = %d, %v; %d chunks left", n, err, chunks())
	}
	m, err := r.Read(got[n:])
	if err != nil || !bytes.Equal(got[:n+m], want) {
		t.Fatalf("read %d bytes (%v), not the %d written in order", n+m, err, len(want))
	}
	if chunks() != 0 || queued(r.in) != 0 {
		t.Fatalf("a drained queue holds %d chunks, %d bytes", chunks(), queued(r.in))
	}
}

// BenchmarkPipeFrames writes 64 KiB frames into a pipe as the tunnel does
// and reads them with a line reader as the sandbox does.
func BenchmarkPipeFrames(b *testing.B) {
	a, c := newPipe(pipeAddr("proxy"), pipeAddr("sandbox"))
	defer a.Close()
	frame := bytes.Repeat([]byte("0123456789012345678901234567890123456789012345678901234567890123456789\r\n"), pipeChunk/72)
	go func() {
		for {
			if _, err := a.Write(frame); err != nil {
				return
			}
		}
	}()
	br := bufio.NewReaderSize(c, readBufferSize)
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		for n := 0; n < len(frame); {
			line, err := br.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			n += len(line)
		}
	}
	c.Close()
}
