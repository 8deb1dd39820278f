package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// users is how many connections and listeners hold token's mailbox.
func users(s *Sandbox, token string) int {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if b, ok := s.store.boxes[token]; ok {
		return b.users
	}
	return -1
}

// A real client on the TCP listener that logs in as "student+TOKEN" delivers
// into TOKEN's mailbox (a page session's), not the shared one; a TOKEN that
// names no mailbox and a wrong password are refused; the mailbox is let go
// when the connection ends. The page's own connection keeps its mailbox.
func TestLoginPicksMailboxOverTCP(t *testing.T) {
	s := newTestSandbox(t, Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	shared, err := s.ServeTCP(ctx, l, "")
	if err != nil {
		t.Fatal(err)
	}
	page, token, err := s.Connect("sandbox", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	pc := newClient(t, page)
	pc.expect("220 ")
	held := users(s, token)

	addr := l.Addr().String()
	tlsConfig := &tls.Config{RootCAs: s.RootCAs(), ServerName: "sandbox"}
	send := func(user, pass, subject string) error {
		c, err := smtp.DialStartTLS(addr, tlsConfig)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
			return err
		}
		if users(s, token) != held+1 {
			t.Errorf("users of the picked mailbox while logged in: %d, want %d", users(s, token), held+1)
		}
		if err := c.SendMail("export@example.org", []string{"friend@example.org"}, strings.NewReader("Subject: "+subject+"\r\n\r\nhi\r\n")); err != nil {
			t.Fatal(err)
		}
		return c.Quit()
	}
	if err := send("student+"+token, "practice", "to my inbox"); err != nil {
		t.Fatal(err)
	}
	if got := list(t, s, token); len(got.Messages) != 1 || got.Messages[0].Subject != "to my inbox" {
		t.Fatalf("page mailbox: %+v", got)
	}
	if got := list(t, s, shared); len(got.Messages) != 0 {
		t.Fatalf("shared mailbox got the mail: %+v", got)
	}
	for _, tc := range []struct{ user, pass, want string }{
		{"student+" + strings.Repeat("a", 26), "practice", "does not exist"},
		{"student+" + shared + "x", "practice", "does not exist"},
		{"student+" + token, "wrong", "use the practice login"},
		{"teacher+" + token, "practice", "use the practice login"},
	} {
		err := send(tc.user, tc.pass, "refused")
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 535 || !strings.Contains(se.Message, tc.want) {
			t.Errorf("%s/%s: %v, want 535 …%s", tc.user, tc.pass, err, tc.want)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); users(s, token) != held; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("users of the picked mailbox after the logins: %d, want %d", users(s, token), held)
		}
	}

	// The page's connection logs in the same way, and its mail stays in the
	// mailbox the page shows.
	pc.do("EHLO page.test", "250")
	if r := pc.authPlain("student+"+shared, "practice"); !strings.HasPrefix(r[len(r)-1], "235 ") {
		t.Fatalf("page login: %q", r)
	}
	pc.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: from the page\r\n\r\nhi\r\n")
	if got := list(t, s, token); len(got.Messages) != 2 || got.Messages[0].Subject != "from the page" {
		t.Fatalf("page mailbox: %+v", got)
	}
	page.Close()
}
