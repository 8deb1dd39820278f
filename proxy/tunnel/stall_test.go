package tunnel

import (
	"context"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/internal/leaktest"
	"github.com/smtplay/smtplay/wire"
	"go.uber.org/goleak"
)

// A write nobody takes is unblocked once it has lasted the guard's limit.
func TestWriteGuardStallsABlockedWrite(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	var stalled atomic.Int32
	g := newWriteGuard(100*time.Millisecond, func() { stalled.Add(1); a.Close() })
	defer g.stop()
	start := time.Now()
	g.begin()
	_, err := a.Write([]byte("nobody reads this\r\n"))
	g.end()
	took := time.Since(start)
	if err == nil || stalled.Load() != 1 {
		t.Fatalf("write error %v, stalled %d times; want an error, once", err, stalled.Load())
	}
	if took < 100*time.Millisecond || took > 5*time.Second {
		t.Fatalf("the write was unblocked after %v, want 100 ms", took)
	}
}

// Short writes go on for many times the limit without a stall, and the
// timer rests once they stop, until the next write.
func TestWriteGuardSparesShortWrites(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go func() { _, _ = io.Copy(io.Discard, b) }()
	const limit = 30 * time.Millisecond
	var stalled atomic.Int32
	g := newWriteGuard(limit, func() { stalled.Add(1) })
	defer g.stop()
	for end := time.Now().Add(20 * limit); time.Now().Before(end); time.Sleep(limit / 6) {
		g.begin()
		if _, err := a.Write([]byte("NOOP\r\n")); err != nil {
			t.Fatal(err)
		}
		g.end()
	}
	if n := stalled.Load(); n != 0 {
		t.Fatalf("%d stalls of writes that each took a moment", n)
	}
	waitFor(t, func() bool { return !g.armed.Load() })
	g.begin()
	if !g.armed.Load() {
		t.Fatal("a write after a rest did not arm the timer")
	}
	g.end()
}

// A server that stops reading while the client sends a message: the write
// to it blocks, and the session still ends within the idle limit, its
// goroutines and its connection gone. (Without a bound on that write the
// session's end would wait for it for ever.)
func TestStalledServerWrite(t *testing.T) {
	release := make(chan struct{})
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine()
		p.say("354 go ahead\r\n")
		<-release                          // reads nothing more until then,
		_, _ = io.Copy(io.Discard, p.Conn) // then to the end, which the proxy makes
	})
	s, url := startTunnel(t, lab(Config{Limits: Limits{Idle: 300 * time.Millisecond, ByteBudget: 1 << 30}}), localTarget("real", srv.port()))
	ignore := goleak.IgnoreCurrent() // the listeners' accept loops, until the cleanups close them
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n")
	c.Send("DATA\r\n")
	c.Line("354 go ahead\r\n")
	frame := []byte(lines(wire.MaxMessage))
	go func() {
		for range (1 << 30) / len(frame) {
			if c.Conn.Write(context.Background(), websocket.MessageBinary, frame) != nil {
				return
			}
		}
	}()
	start := time.Now()
	for {
		typ, _ := c.Next()
		if typ == wire.TypeClosed {
			break
		}
	}
	c.Gone()
	waitFor(t, func() bool { return s.Sessions() == 0 })
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the session took %v to end, with a 300 ms idle limit", took)
	}
	close(release)
	leaktest.Check(t, ignore)
}

// A browser that stops reading while the server talks: the websocket write
// blocks, and sendTimeout later the websocket is closed and the session
// ends, its goroutines and its connection gone. (Without a bound on that
// write the session would wait for the browser for ever: even the idle
// timeout's end would wait to send its error.)
func TestStalledBrowserWrite(t *testing.T) {
	defer func(d time.Duration) { sendTimeout = d }(sendTimeout)
	sendTimeout = 300 * time.Millisecond
	line := "250-" + strings.Repeat("x", 1000) + "\r\n"
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		for range 1 << 20 { // 1 GB: far more than the sockets hold
			if _, err := io.WriteString(p.Conn, line); err != nil {
				return // the proxy closed the connection
			}
		}
	})
	s, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	ignore := goleak.IgnoreCurrent() // the listeners' accept loops, until the cleanups close them
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n") // and never reads again
	start := time.Now()
	waitFor(t, func() bool { return s.Sessions() == 0 })
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("the session took %v to end, with a 300 ms send timeout", took)
	}
	c.Conn.CloseNow()
	leaktest.Check(t, ignore)
}
