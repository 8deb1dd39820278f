package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/leaktest"
	"go.uber.org/goleak"
)

// readAll collects every line a connection receives until it ends.
func readAll(r io.Reader) <-chan []string {
	ch := make(chan []string, 1)
	go func() {
		var lines []string
		br := bufio.NewReader(r)
		for {
			l, err := br.ReadString('\n')
			if l != "" {
				lines = append(lines, l)
			}
			if err != nil {
				ch <- lines
				return
			}
		}
	}()
	return ch
}

func TestShutdown(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.slowDelay = time.Hour

	var readers []<-chan []string
	var names []string
	add := func(name string, c *client, r io.Reader) {
		names = append(names, name)
		readers = append(readers, readAll(r))
		_ = c
	}

	// Idle after the greeting.
	c, _ := dial(t, s, "sandbox", "", nil)
	add("idle", c, c.r)
	// Inside TLS.
	c, _ = dial(t, s, "sandbox", "", nil)
	c.startTLS(s, "sandbox")
	c.do("EHLO client.example", "250 ")
	add("tls", c, c.r)
	// In the middle of DATA.
	c, tok := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.do("RCPT TO:<b@example.org>", "250 ")
	c.do("DATA", "354 ")
	c.send("Subject: half\r\n\r\nhalf a message\r\n")
	add("data", c, c.r)
	// Waiting for slow@'s answer.
	c, _ = dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.send("RCPT TO:<slow@example.org>\r\n")
	add("slow", c, c.r)
	// A client that never reads, not even the greeting: cut off after the grace.
	deaf, _, err := s.Connect("sandbox", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer deaf.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	t.Logf("Shutdown took %v", time.Since(start))
	for i, r := range readers {
		lines := <-r
		if len(lines) == 0 || lines[len(lines)-1] != replyShutdown+"\r\n" {
			t.Errorf("%s: got %q, want %q last", names[i], lines, replyShutdown)
		}
	}
	if n := len(s.connections()); n != 0 {
		t.Errorf("%d connections left", n)
	}
	// The half message was not stored; the mailbox can still be read.
	if l := list(t, s, tok); len(l.Messages) != 0 {
		t.Errorf("stored %+v", l)
	}
	if _, _, err := s.Connect("sandbox", "", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Connect after Shutdown: %v", err)
	}
	if _, err := s.ServeTCP(context.Background(), nil, ""); !errors.Is(err, ErrClosed) {
		t.Errorf("ServeTCP after Shutdown: %v", err)
	}
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
	deaf.Close()
	leaktest.Check(t, ignore)
}

// TestShutdownMidReply: a 421 never cuts a multi-line reply in two.
func TestShutdownMidReply(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := dial(t, s, "sandbox", "", nil)
	c.send("EHLO client.example\r\n")
	first, _ := c.r.ReadString('\n') // the server is now between EHLO lines
	if !strings.HasPrefix(first, "250-") {
		t.Fatalf("got %q", first)
	}
	done := make(chan error)
	go func() { done <- s.Shutdown(context.Background()) }()
	time.Sleep(50 * time.Millisecond) // let Shutdown see the reply in progress
	rest := <-readAll(c.r)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	last := len(rest) - 1
	if last < 1 || rest[last] != replyShutdown+"\r\n" || !strings.HasPrefix(rest[last-1], "250 ") {
		t.Fatalf("after %q got %q", first, rest)
	}
}

// TestVanishingClients: clients that go away at any point leave no
// goroutine behind.
func TestVanishingClients(t *testing.T) {
	s := newTestSandbox(t, Config{})
	ignore := goleak.IgnoreCurrent() // the sandbox's own, until the cleanup shuts it down
	steps := map[string]func(c *client){
		"before the greeting": nil,
		"after the greeting":  func(c *client) {},
		"after EHLO":          func(c *client) { c.do("EHLO client.example", "250 ") },
		"in AUTH LOGIN": func(c *client) {
			c.do("EHLO client.example", "250 ")
			c.do("AUTH LOGIN", "334 ")
		},
		"in DATA": func(c *client) {
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.do("RCPT TO:<b@example.org>", "250 ")
			c.do("DATA", "354 ")
			c.send("Subject: x\r\n")
		},
		"in BDAT": func(c *client) {
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.do("RCPT TO:<b@example.org>", "250 ")
			c.send("BDAT 100 LAST\r\nSubject: x\r\n")
		},
		"waiting for slow@": func(c *client) {
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.send("RCPT TO:<slow@example.org>\r\n")
		},
		"before the TLS handshake": func(c *client) { c.do("STARTTLS", "220 ") },
		"in the TLS handshake": func(c *client) {
			c.do("STARTTLS", "220 ")
			c.send("\x16\x03\x01\x00\x05") // the start of a ClientHello
		},
		"in DATA after TLS": func(c *client) {
			c.startTLS(s, "sandbox")
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.do("RCPT TO:<b@example.org>", "250 ")
			c.do("DATA", "354 ")
		},
		"while the server writes": func(c *client) { c.send("HELP\r\n") }, // never read
	}
	for name, step := range steps {
		for range 20 {
			conn, _, err := s.Connect("sandbox", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if step != nil {
				c := newClient(t, conn)
				c.expect("220 ")
				step(c)
				conn = c.conn
			}
			conn.Close()
		}
		for deadline := time.Now().Add(5 * time.Second); len(s.connections()) != 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d connections left\n%v", name, len(s.connections()), goleak.Find(ignore))
			}
		}
		leaktest.Check(t, ignore)
	}
	if st := s.Stats(); st.StoredBytes != 0 || st.Mailboxes == 0 {
		t.Errorf("store: %d boxes, %d bytes", st.Mailboxes, st.StoredBytes)
	}
}

// TestSessionEnds checks the ways a session ends normally, many times over.
func TestSessionEnds(t *testing.T) {
	s := newTestSandbox(t, Config{})
	ignore := goleak.IgnoreCurrent() // the sandbox's own, until the cleanup shuts it down
	for i := range 200 {
		c, _ := dial(t, s, "sandbox", "", nil)
		switch i % 4 {
		case 0:
			c.exact("QUIT", "221 2.0.0 Bye")
		case 1:
			c.startTLS(s, "sandbox")
			c.do("EHLO client.example", "250 ")
			c.exact("QUIT", "221 2.0.0 Bye")
		case 2:
			c.send("NOOP\n") // refused and closed by the server
			c.expect("500 ")
		case 3:
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.do("RCPT TO:<drop@example.org>", "250 ")
			c.do("DATA", "354 ")
			c.send("x\r\n")
		}
		c.expectEOF()
		if tc, ok := c.conn.(*tls.Conn); ok {
			tc.Close()
		} else {
			c.conn.Close()
		}
	}
	leaktest.Check(t, ignore)
}

// TestWriteLimitHolds: once shutdown has limited writes, go-smtp's own later
// write deadline (a minute) cannot extend the limit.
func TestWriteLimitHolds(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	c := newClientConn(nil, server, profiles[0], nil, nil, "")
	c.limitWrites(time.Now().Add(50 * time.Millisecond))
	c.seg.SetWriteDeadline(time.Now().Add(time.Hour)) // as go-smtp does before a reply
	c.seg.SetDeadline(time.Time{})
	time.AfterFunc(3*time.Second, func() { client.Close() }) // end the test if the limit fails
	start := time.Now()
	_, err := server.Write([]byte("220 nobody reads this\r\n"))
	if err == nil || time.Since(start) > time.Second {
		t.Fatalf("write returned %v after %v", err, time.Since(start))
	}
}
