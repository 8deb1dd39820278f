package sandbox

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMailboxKeepsNewest(t *testing.T) {
	s := newTestSandbox(t, Config{MaxMessages: 2})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	for i := range 4 {
		got := c.sendMessage("a@example.org", []string{"b@example.org"}, fmt.Sprintf("Subject: m%d\r\n\r\nx\r\n", i))
		removed := strings.HasSuffix(got[0], " (your mailbox keeps 2 messages: the oldest was removed)")
		if !strings.HasPrefix(got[0], "250 2.0.0 Ok: queued as ") || removed != (i >= 2) {
			t.Errorf("message %d: %q", i, got)
		}
	}
	l := list(t, s, token)
	if len(l.Messages) != 2 || l.Messages[0].Subject != "m3" || l.Messages[1].Subject != "m2" {
		t.Fatalf("kept %+v", l.Messages)
	}
	if st := s.Stats(); st.StoredBytes == 0 || st.StoredBytes > 2000 {
		t.Errorf("stored bytes %d", st.StoredBytes)
	}
}

func TestStorageCap(t *testing.T) {
	s := newTestSandbox(t, Config{})
	body := "Subject: x\r\n\r\n" + strings.Repeat("y", 600) + "\r\n"
	c1, t1 := dial(t, s, "sandbox", "", nil)
	c1.do("EHLO client.example", "250 ")
	if got := c1.sendMessage("a@example.org", []string{"b@example.org"}, body); !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("first: %q", got)
	}
	// The cap: room for about one and a half more.
	s.store.mu.Lock()
	s.store.maxBytes = s.store.total * 5 / 2
	s.store.mu.Unlock()
	// Another mailbox's message would pass the cap: refused, and told why.
	c2, t2 := dial(t, s, "sandbox", "", nil)
	c2.do("EHLO client.example", "250 ")
	if got := c2.sendMessage("a@example.org", []string{"b@example.org"}, body+body); got[0] != "452 4.3.1 Insufficient system storage: the sandbox holds all the mail it may right now; try again later" {
		t.Fatalf("over the cap: %q", got)
	}
	// A smaller one fits.
	if got := c2.sendMessage("a@example.org", []string{"b@example.org"}, body); !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("second: %q", got)
	}
	// Now full: refused at MAIL already.
	s.store.mu.Lock()
	s.store.maxBytes = s.store.total
	s.store.mu.Unlock()
	c2.exact("MAIL FROM:<a@example.org>", "452 4.3.1 Insufficient system storage: the sandbox holds all the mail it may right now; try again later")
	if len(list(t, s, t1).Messages) != 1 || len(list(t, s, t2).Messages) != 1 {
		t.Fatal("wrong messages stored")
	}
}

// clock is a settable time for expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestMailboxExpiry(t *testing.T) {
	s := newTestSandbox(t, Config{MailboxIdle: time.Hour})
	clk := &clock{now: time.Now()}
	s.store.now = clk.Now // before any use of the store

	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: x\r\n\r\nx\r\n")
	// A mailbox with a connection attached never expires.
	clk.add(3 * time.Hour)
	if len(list(t, s, token).Messages) != 1 {
		t.Fatal("expired while connected")
	}
	c.exact("QUIT", "221 2.0.0 Bye")
	c.expectEOF()
	waitFor(t, func() bool { return len(s.connections()) == 0 })

	// Reads keep it alive.
	for range 3 {
		clk.add(40 * time.Minute)
		if len(list(t, s, token).Messages) != 1 {
			t.Fatal("expired although read")
		}
	}
	clk.add(61 * time.Minute)
	if code, _, _ := api(t, s, "GET", "/api/sandbox/"+token+"/messages"); code != 404 {
		t.Fatalf("after an idle hour: %d", code)
	}
	if st := s.Stats(); st.Mailboxes != 0 || st.StoredBytes != 0 {
		t.Errorf("store: %d boxes, %d bytes", st.Mailboxes, st.StoredBytes)
	}
	// The expired token makes a new mailbox.
	_, tok2 := dial(t, s, "sandbox", token, nil)
	if tok2 == token {
		t.Error("expired token reused")
	}
}

func TestServeTCPMailboxDoesNotExpire(t *testing.T) {
	s := newTestSandbox(t, Config{})
	clk := &clock{now: time.Now()}
	s.store.now = clk.Now
	l := newPipeListener() // any net.Listener will do
	token, err := s.ServeTCP(t.Context(), l, "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	clk.add(10 * time.Hour)
	if code, _, _ := api(t, s, "GET", "/api/sandbox/"+token+"/messages"); code != 200 {
		t.Fatalf("ServeTCP's mailbox expired: %d", code)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
	}
}
