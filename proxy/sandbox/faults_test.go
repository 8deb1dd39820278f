package sandbox

import (
	"strings"
	"testing"
	"time"
)

// TestFaultReplies checks each practice fault's exact reply.
func TestFaultReplies(t *testing.T) {
	s := newTestSandbox(t, Config{})
	rcptFaults := []struct{ addr, want string }{
		{"busy@example.org", "450 4.2.1 Mailbox busy: try again later (practice fault busy@)"},
		{"error@example.org", "451 4.3.0 Local error in processing: try again later (practice fault error@)"},
		{"full@example.org", "452 4.2.2 Mailbox full: the recipient must make room first (practice fault full@)"},
		{"unknown@example.org", "550 5.1.1 No such user here: check the address (practice fault unknown@)"},
		{"moved@example.org", "551 5.1.6 User not local; please try <moved@new-home.example> (practice fault moved@)"},
		{"quota@example.org", "552 5.2.2 Mailbox over quota: no room for this message (practice fault quota@)"},
		{"bad-name@example.org", "553 5.1.3 Mailbox name not allowed (practice fault bad-name@)"},
		{"Forward@Example.org", "251 2.1.5 User not local; will forward to <Forward@new-home.example> (practice fault forward@; the sandbox keeps the message)"},
		{"BUSY@EXAMPLE.ORG", "450 4.2.1 Mailbox busy: try again later (practice fault busy@)"},
	}
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	for _, f := range rcptFaults {
		c.exact("RCPT TO:<"+f.addr+">", f.want)
	}
	// Only forward@ was accepted: the message is kept for it.
	c.do("DATA", "354 ")
	c.send("Subject: fwd\r\n\r\nhi\r\n.\r\n")
	c.expect("250 2.0.0 Ok: queued as ")
	l := list(t, s, token)
	if len(l.Messages) != 1 || len(l.Messages[0].To) != 1 || l.Messages[0].To[0] != "Forward@Example.org" {
		t.Fatalf("stored %+v", l.Messages)
	}
}

func TestFaultSlow(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	start := time.Now()
	c.exact("RCPT TO:<slow@example.org>", "250 2.1.5 Recipient OK, after a pause (practice fault slow@: a slow server)")
	if d := time.Since(start); d < s.slowDelay {
		t.Fatalf("answered after %v, want at least %v", d, s.slowDelay)
	}
	start = time.Now()
	c.exact("RCPT TO:<quick@example.org>", "250 2.1.5 Recipient OK, I'll make sure <quick@example.org> gets this")
	if d := time.Since(start); d >= s.slowDelay {
		t.Fatalf("an ordinary recipient took %v", d)
	}
}

func TestFaultReject(t *testing.T) {
	s := newTestSandbox(t, Config{})
	called := false
	c, token := dial(t, s, "sandbox", "", func(Delivery) { called = true })
	c.do("EHLO client.example", "250 ")
	got := c.sendMessage("a@example.org", []string{"friend@example.org", "reject@example.org"}, "Subject: x\r\n\r\nhi\r\n")
	if want := "554 5.7.1 Message rejected by the content filter (practice fault reject@)"; got[0] != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if called || len(list(t, s, token).Messages) != 0 {
		t.Fatal("a rejected message was delivered")
	}
	// The session goes on.
	got = c.sendMessage("a@example.org", []string{"friend@example.org"}, "Subject: x\r\n\r\nhi\r\n")
	if !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("after reject: %q", got)
	}
}

func TestFaultDrop(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.do("RCPT TO:<reject@example.org>", "250 ")
	c.do("RCPT TO:<drop@example.org>", "250 ")
	c.do("DATA", "354 ")
	c.send("Subject: x\r\n")
	c.conn.Write([]byte("\r\nbody\r\n.\r\n")) // may fail: the server is hanging up
	c.expectEOF()
	if len(list(t, s, token).Messages) != 0 {
		t.Fatal("a dropped message was stored")
	}
}

func TestLookupFault(t *testing.T) {
	for addr, want := range map[string]string{
		"busy@x": "busy", "BUSY@X": "busy", "busy": "busy", "a@busy@x": "", "busy.x@y": "", "": "",
		"bad-name@example.org": "bad-name",
	} {
		f := lookupFault(addr)
		switch {
		case want == "" && f != nil:
			t.Errorf("%q: fault %q", addr, f.local)
		case want != "" && (f == nil || f.local != want):
			t.Errorf("%q: got %v, want %q", addr, f, want)
		}
	}
}
