package server

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// greeting dials the sandbox listener and reads its first reply line.
func greeting(t *testing.T, addr string) (net.Conn, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the greeting: %v", err)
	}
	return c, line
}

// One address holds at most -sessions-per-ip connections to the sandbox's
// SMTP listener; the next is told why in a 421 and disconnected, and a
// place freed by QUIT is taken again. The tunnel's own count is apart: a
// page still connects while the address's scripts hold every place. New
// connections are not paced: a script re-run ten times in a row runs.
func TestSandboxSMTPLimitsAnAddress(t *testing.T) {
	s, hs := startServer(t, "-sessions-per-ip", "2")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveSMTP(t, s, ln)
	addr := ln.Addr().String()

	first, line := greeting(t, addr)
	if !strings.HasPrefix(line, "220 ") {
		t.Fatalf("first connection: %q", line)
	}
	second, line := greeting(t, addr)
	if !strings.HasPrefix(line, "220 ") {
		t.Fatalf("second connection: %q", line)
	}
	if _, line = greeting(t, addr); line != "421 4.7.0 you already have as many sessions open here as allowed (2); close one first\r\n" {
		t.Fatalf("third connection: %q", line)
	}

	page := tunneltest.Dial(t, wsURL(hs))
	page.Open("sandbox")
	if r := page.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("a tunnel session while the listener is full: %q", r)
	}

	quit(t, first)
	if again, line := greeting(t, addr); !strings.HasPrefix(line, "220 ") {
		t.Fatalf("after QUIT the place is not free: %q", line)
	} else {
		quit(t, again)
	}
	quit(t, second)
	for i := range 10 {
		c, line := greeting(t, addr)
		if !strings.HasPrefix(line, "220 ") {
			t.Fatalf("run %d of a script: %q", i+1, line)
		}
		quit(t, c)
	}
}

// quit ends a connection with QUIT and reads to its end.
func quit(t *testing.T, c net.Conn) {
	t.Helper()
	if _, err := c.Write([]byte("QUIT\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(c); err != nil { // the 221, then the close
		t.Fatal(err)
	}
}
