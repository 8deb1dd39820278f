package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// The store's count is what its messages really take on the heap, not only
// their bytes: a cap of N stored bytes is N bytes of memory.
func TestStoredBytesAreMemory(t *testing.T) {
	const boxes, perBox, body = 40, 50, 200
	st := newStore(withDefaults(Config{MaxStoredBytes: 1 << 30, ClientSessions: 1000}), time.Now)
	var raw int64
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range boxes {
		b := st.attach("")
		for j := range perBox {
			m := &storedMessage{
				id: newMessageID(), from: "sender@example.org", to: []string{"inbox@example.org"},
				subject: fmt.Sprintf("message %d/%d", i, j), size: body, received: time.Now(),
				raw: []byte(strings.Repeat("x", body)),
			}
			raw += int64(len(m.raw))
			if _, err := st.add(b, []*storedMessage{m}, netip.Addr{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	counted := st.total
	runtime.KeepAlive(st)
	t.Logf("%d messages of %d bytes: raw %d, counted %d, heap grew %d", boxes*perBox, body, raw, counted, heap)
	if counted < heap*9/10 {
		t.Errorf("the store counts %d bytes for %d bytes of heap", counted, heap)
	}
	if counted > heap*2 {
		t.Errorf("the store counts %d bytes for only %d bytes of heap", counted, heap)
	}
}

func TestClientShareScales(t *testing.T) {
	for _, c := range []struct {
		sessions int
		want     int64
	}{
		{1, 32 << 20},
		{3, 96 << 20}, // the default -sessions-per-ip
		{4, 128 << 20},
		{30, 128 << 20}, // a class behind one address: half the store, no more
	} {
		if got := clientShare(256<<20, c.sessions); got != c.want {
			t.Errorf("%d sessions: share %d, want %d", c.sessions, got, c.want)
		}
	}
}

// One address past its share gets 452 4.3.1 saying so, over TCP as from
// swaks; another address still delivers at once. Without the share the
// first filled the whole store and the second was refused.
func TestClientShareOverTCP(t *testing.T) {
	s := newTestSandbox(t, Config{MaxStoredBytes: 1 << 20}) // share: 3/8 of it
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	token, err := s.ServeTCP(ctx, l, "")
	if err != nil {
		t.Fatal(err)
	}
	body := "Subject: flood\r\n\r\n" + strings.Repeat(strings.Repeat("z", 78)+"\r\n", 1000) // 80 KB
	from := func(local string) *smtp.Client {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
		conn, err := d.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c := smtp.NewClient(conn)
		t.Cleanup(func() { c.Close() })
		if err := c.Hello("client.example"); err != nil {
			t.Fatal(err)
		}
		return c
	}

	flooder := from("127.0.0.1")
	var refused *smtp.SMTPError
	sent := 0
	for ; sent < 20; sent++ {
		err := flooder.SendMail("flood@example.org", []string{"inbox@example.org"}, strings.NewReader(body))
		if errors.As(err, &refused) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := "Insufficient system storage: mail sent from your address (127.0.0.1) already fills its share of the sandbox (384 KiB of 1 MiB)"
	if refused == nil || refused.Code != 452 || refused.EnhancedCode != (smtp.EnhancedCode{4, 3, 1}) || !strings.HasPrefix(refused.Message, want) {
		t.Fatalf("after %d messages the flooder got %v; want 452 4.3.1 %s…", sent, refused, want)
	}
	if sent < 3 || sent > 5 {
		t.Errorf("the flooder stored %d messages of %d bytes in a share of 384 KiB", sent, len(body))
	}

	other := from("127.0.0.2")
	if err := other.SendMail("other@example.org", []string{"inbox@example.org"}, strings.NewReader(body)); err != nil {
		t.Fatalf("another address, after the flood: %v", err)
	}
	if n := len(list(t, s, token).Messages); n != sent+1 {
		t.Errorf("shared mailbox holds %d messages, want %d", n, sent+1)
	}
}

// The message rate: a minute's worth at once, then paced; per address.
func TestClientMessageRate(t *testing.T) {
	clk := &clock{now: time.Now()}
	st := newStore(withDefaults(Config{ClientSessions: 1}), clk.Now)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	for i := range messagesPerSessionMinute {
		if err := st.admit(a); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	err := st.admit(a)
	if !isReply(err, 450, 4, 7, 1, "Too many messages from your address (192.0.2.1): the sandbox takes 60 a minute from one address; try again in a minute") {
		t.Fatalf("past the rate: %v", err)
	}
	if err := st.admit(b); err != nil {
		t.Fatalf("another address: %v", err)
	}
	clk.add(time.Second)
	if err := st.admit(a); err != nil {
		t.Fatalf("a second later: %v", err)
	}
	// Addresses whose bucket refilled are forgotten.
	clk.add(2 * time.Minute)
	st.mu.Lock()
	st.sweepLocked(clk.Now(), true)
	n := len(st.quota.rates)
	st.mu.Unlock()
	if n != 0 {
		t.Errorf("%d rates kept after two quiet minutes", n)
	}
}

// A share is freed by the mailbox cap, even when another address's message
// pushes the oldest out of a shared mailbox, and by expiry.
func TestClientShareFreed(t *testing.T) {
	clk := &clock{now: time.Now()}
	st := newStore(withDefaults(Config{MaxMessages: 2, MaxStoredBytes: 16 << 10, ClientSessions: 1}), clk.Now)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	msg := func() []*storedMessage {
		return []*storedMessage{{id: newMessageID(), raw: make([]byte, 600), size: 600}}
	}
	box := st.attach("")
	for range 2 {
		if _, err := st.add(box, msg(), a); err != nil {
			t.Fatal(err)
		}
	}
	// The share is 2 KiB: a third message from a does not fit.
	if _, err := st.add(st.attach(""), msg(), a); !isReply(err, 452, 4, 3, 1, "Insufficient system storage: mail sent from your address (192.0.2.1) already fills its share of the sandbox (2 KiB of 16 KiB); it frees as those mailboxes expire, and other addresses can still send; try again later") {
		t.Fatalf("past the share: %v", err)
	}
	one := msg()[0].cost()
	if dropped, err := st.add(box, msg(), b); err != nil || dropped != 1 {
		t.Fatalf("b into the shared mailbox: %d dropped, %v", dropped, err)
	}
	if st.quota.held[clientKey(a)] != one || st.quota.held[clientKey(b)] != one || st.total != 2*one {
		t.Errorf("held a %d, b %d, total %d; want %d, %d, %d",
			st.quota.held[clientKey(a)], st.quota.held[clientKey(b)], st.total, one, one, 2*one)
	}
	st.detach(box)
	clk.add(2 * time.Hour)
	st.list("") // any use sweeps, once a second at most

	if len(st.quota.held) != 0 || st.total != 0 {
		t.Errorf("after expiry: held %v, total %d", st.quota.held, st.total)
	}
}

// isReply reports whether err is exactly the SMTP reply given.
func isReply(err error, code, class, subject, detail int, msg string) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code == code && se.EnhancedCode == smtp.EnhancedCode{class, subject, detail} && se.Message == msg
}

// Mail being received counts too: many connections from one address, each
// in the middle of DATA, hold no more than its share between them, and
// another address still delivers.
func TestClientShareInFlight(t *testing.T) {
	s := newTestSandbox(t, Config{MaxStoredBytes: 1 << 20}) // share: 384 KiB
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := s.ServeTCP(ctx, l, ""); err != nil {
		t.Fatal(err)
	}
	const shareFull = "452 4.3.1 Insufficient system storage: mail sent from your address (127.0.0.1) already fills its share"
	// open starts a message from local; nil when MAIL is refused because
	// the address's share is already full of mail in flight.
	open := func(local string) *client {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
		conn, err := d.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, conn)
		c.expect("220 ")
		c.do("EHLO client.example", "250 ")
		if got := c.cmd("MAIL FROM:<flood@example.org>"); strings.HasPrefix(got[0], shareFull) {
			return nil
		} else if !strings.HasPrefix(got[0], "250 ") {
			t.Fatalf("MAIL: %q", got)
		}
		c.do("RCPT TO:<inbox@example.org>", "250 ")
		c.do("DATA", "354 ")
		return c
	}
	part := "Subject: flood\r\n\r\n" + strings.Repeat(strings.Repeat("f", 98)+"\r\n", 1000) // 100 KB
	// All are in DATA before any sends: one that fills the share in
	// flight would have the next MAIL refused.
	var flood []*client
	accepted, refused := 0, 0
	for range 8 {
		c := open("127.0.0.1")
		if c == nil {
			refused++ // the share is full of the others' DATA: refused at MAIL
			continue
		}
		flood = append(flood, c)
	}
	for _, c := range flood {
		c.send(part) // and no end yet
	}
	waitFor(t, func() bool { // all read, or refused
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		return s.store.quota.flyingTotal >= 3*int64(len(part))
	})
	for _, c := range flood {
		c.send(".\r\n")
		switch got := c.reply()[0]; {
		case strings.HasPrefix(got, "250 "):
			accepted++
		case strings.HasPrefix(got, shareFull):
			refused++
		default:
			t.Errorf("flooder got %q", got)
		}
	}
	// Three of 100 KB fit in a share of 384 KiB; two when reads of a
	// refused one were counted in flight at the same moment.
	if accepted < 2 || accepted > 3 || accepted+refused != 8 {
		t.Errorf("%d accepted, %d refused; want 3 (or 2) of 100 KB in a share of 384 KiB, the rest refused", accepted, refused)
	}
	other := open("127.0.0.2")
	other.send(part + ".\r\n")
	if got := other.reply()[0]; !strings.HasPrefix(got, "250 ") {
		t.Errorf("another address: %q", got)
	}
	if st := s.store; st.quota.flyingTotal != 0 || len(st.quota.flying) != 0 {
		t.Errorf("in flight after the end: %d %v", st.quota.flyingTotal, st.quota.flying)
	}
}

// All addresses together may have half the storage cap in flight.
func TestInFlightCap(t *testing.T) {
	st := newStore(withDefaults(Config{MaxStoredBytes: 1 << 20, ClientSessions: 100}), time.Now)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	ra := st.receive(strings.NewReader(strings.Repeat("a", 400<<10)), a)
	if n, err := io.Copy(io.Discard, ra); err != nil || n != 400<<10 {
		t.Fatalf("a: %d, %v", n, err)
	}
	rb := st.receive(strings.NewReader(strings.Repeat("b", 200<<10)), b)
	if _, err := io.Copy(io.Discard, rb); err != errReceiving {
		t.Fatalf("b past half the cap: %v", err)
	}
	ra.release()
	rb.release()
	if st.quota.flyingTotal != 0 {
		t.Errorf("%d in flight after release", st.quota.flyingTotal)
	}
}
