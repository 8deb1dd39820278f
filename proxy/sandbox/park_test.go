package sandbox

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"runtime/pprof"
	"strings"
	"testing"
)

// goSMTPServing counts the connections go-smtp serves in this process.
func goSMTPServing() int {
	var b bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&b, 2)
	return strings.Count(b.String(), "go-smtp.(*Server).handleConn(")
}

// parkScript is a conversation; park: the connection is parked after the
// reply (park.go), so the next command meets a new go-smtp connection.
var parkScript = []struct {
	send string
	park bool
}{
	{"EHLO client.example", true},
	{"NOOP", true},
	{"HELP", false}, // the sandbox answers HELP and waits for the next line itself
	{"MAIL FROM:<a@example.org>", false},
	{"RCPT TO:<b@example.org>", false},
	{"DATA", false},
	{"Subject: parked\r\n\r\nhello\r\n.", true},
	{"RSET", true},
	{"HELO other.example", true},
	{"MAIL FROM:<c@example.org> SIZE=100", false},
	{"RSET", true},
	{"VRFY b@example.org", true},
	{"EHLO again.example", true},
	{"MAIL FROM:<d@example.org>", false},
	{"RCPT TO:<e@example.org>", false},
	{"QUIT", false},
}

// queuedAs is the part of a reply that differs between two runs.
var queuedAs = regexp.MustCompile(`queued as [0-9A-F]+`)

// converse runs parkScript on c and returns the replies; wait, when set,
// is called where the script parks.
func converse(c *client, wait func()) []string {
	var out []string
	for _, step := range parkScript {
		for _, l := range c.cmd(step.send) {
			out = append(out, queuedAs.ReplaceAllString(l, "queued as ID"))
		}
		if step.park && wait != nil {
			wait()
		}
	}
	return out
}

// An in-process connection is parked whenever it waits with nothing in
// progress, and yet replies exactly as a connection go-smtp serves
// throughout (over TCP, which never parks).
func TestParkedSessionRepliesAsOne(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "", "", nil)
	parked := converse(c, func() {
		t.Helper()
		waitFor(t, func() bool { return goSMTPServing() == 0 })
	})

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := s.ServeTCP(ctx, l, ""); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	tc := newClient(t, conn)
	tc.expect("220 ")
	served := converse(tc, nil)
	if strings.Join(parked, "\n") != strings.Join(served, "\n") {
		t.Errorf("parked connection said\n%s\n\nTCP connection said\n%s", strings.Join(parked, "\n"), strings.Join(served, "\n"))
	}
}

// After a reply go-smtp counts as an error, the connection stays with
// go-smtp: a new one would have forgotten the count.
func TestNoParkingAfterAnError(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "", "", nil)
	c.do("EHLO client.example", "250 ")
	waitFor(t, func() bool { return goSMTPServing() == 0 })
	c.do("RCPT TO:<b@example.org>", "503 ")
	c.do("NOOP", "250 ")
	if n := goSMTPServing(); n != 1 {
		t.Errorf("go-smtp serves %d connections after an error, want 1", n)
	}
}
