package tunnel

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/leaktest"
	"github.com/smtplay/smtplay/wire"
	"go.uber.org/goleak"
)

// Server lines come one per frame, overlong ones in 8 KiB pieces, and the
// frames concatenate to exactly the bytes sent, 8-bit and bare LF included.
func TestServerBytesExact(t *testing.T) {
	long := "250-" + strings.Repeat("\xff\x00é", 6000) + "\r\n"
	sent := "220-first\r\n220 second\n" + long + "250 done\r\nno final newline"
	srv := startScripted(t, func(p *peer) {
		p.say(sent)
	})
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	var got strings.Builder
	var frames []int
	for {
		typ, data := c.Next()
		if typ == wire.TypeClosed {
			break
		}
		if typ != "" {
			t.Fatalf("unexpected %s", data)
		}
		frames = append(frames, len(data))
		got.Write(data)
	}
	if got.String() != sent {
		t.Fatal("the frames do not concatenate to the server's bytes")
	}
	for i, n := range frames {
		if n > maxPiece {
			t.Fatalf("frame %d has %d bytes", i, n)
		}
	}
	if frames[0] != len("220-first\r\n") || frames[1] != len("220 second\n") || frames[2] != maxPiece {
		t.Fatalf("frames %v", frames)
	}
}

func TestPoliteClose(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 test ESMTP\r\n")
	c.JSON(wire.Close{Type: wire.TypeClose})
	c.Line("221 2.0.0 bye\r\n")
	c.Closed(wire.ByClient)
	c.Gone()
	if srv.got() != "QUIT\r\n" {
		t.Fatalf("server received %q", srv.got())
	}
}

func TestShutdownClosesEverySession(t *testing.T) {
	srv := startScripted(t, smtpish)
	s, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	clients := make([]*client, 3)
	for i := range clients {
		clients[i] = dial(t, url)
		clients[i].Open("real")
		clients[i].Line("220 test ESMTP\r\n")
	}
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- s.Shutdown(ctx)
	}()
	for _, c := range clients {
		cl := c.Closed(wire.ByProxy)
		if !strings.Contains(cl.Reason, "shutting down") {
			t.Fatalf("reason %q", cl.Reason)
		}
		c.Gone()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.Sessions() != 0 {
		t.Fatalf("%d sessions left", s.Sessions())
	}
	// Each server was told QUIT (its reading may trail the close a little).
	waitFor(t, func() bool { return strings.Count(srv.got(), "QUIT\r\n") == 3 })
}

// 200 sessions end in every way: QUIT, the server drops, the client vanishes,
// a polite close. No goroutine is left behind.
func TestNoGoroutineLeaks(t *testing.T) {
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		for {
			line := p.readLine()
			switch {
			case line == "" || line == "DROP\r\n":
				return
			case line == "QUIT\r\n":
				p.say("221 bye\r\n")
				return
			default:
				p.say("250 ok\r\n")
			}
		}
	})
	s, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	ignore := goleak.IgnoreCurrent() // the listeners' accept loops, until the cleanups close them
	ways := []func(c *client){
		func(c *client) {
			c.Send("QUIT\r\n")
			c.Line("221 bye\r\n")
			c.Closed(wire.ByServer)
			c.Gone()
		},
		func(c *client) { c.Send("DROP\r\n"); c.Closed(wire.ByServer); c.Gone() },
		func(c *client) { c.Conn.CloseNow() },
		func(c *client) {
			c.JSON(wire.Close{Type: wire.TypeClose})
			c.Line("221 bye\r\n")
			c.Closed(wire.ByClient)
			c.Gone()
		},
	}
	for i := 0; i < 200; i++ {
		c := dial(t, url)
		c.Open("real")
		c.Line("220 hi\r\n")
		ways[i%len(ways)](c)
	}
	waitFor(t, func() bool { return s.Sessions() == 0 })
	leaktest.Check(t, ignore)
}

// The browser vanishes in the middle of DATA: the proxy closes the server
// side within a second, so no partial message can be completed.
func TestBrowserVanishesMidData(t *testing.T) {
	closed := make(chan time.Time, 1)
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine()
		p.say("354 go\r\n")
		for p.readLine() != "" {
		}
		closed <- time.Now()
	})
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n")
	c.Send("DATA\r\n")
	c.Line("354 go\r\n")
	c.Send("Subject: half a message\r\n")
	gone := time.Now()
	c.Conn.CloseNow()
	select {
	case at := <-closed:
		if d := at.Sub(gone); d > time.Second {
			t.Fatalf("the server side closed %s after the browser left", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server side was never closed")
	}
	if strings.Contains(srv.got(), "QUIT") {
		t.Fatal("QUIT sent in the middle of DATA would be taken as content")
	}
}

// The server drops the connection in the middle of DATA: the person is told.
func TestServerDropsMidData(t *testing.T) {
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine()
		p.say("354 go\r\n")
		p.readLine()
	})
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n")
	c.Send("DATA\r\n")
	c.Line("354 go\r\n")
	c.Send("Subject: x\r\n")
	if cl := c.Closed(wire.ByServer); !strings.Contains(cl.Reason, "closed the connection") {
		t.Fatalf("reason %q", cl.Reason)
	}
	c.Gone()
}
