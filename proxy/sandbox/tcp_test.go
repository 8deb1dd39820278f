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
	"github.com/smtplay/smtplay/internal/leaktest"
	"go.uber.org/goleak"
)

// TestServeTCP delivers with a real SMTP client over TCP, as swaks would:
// STARTTLS, AUTH PLAIN, a message, a fault address, a wrong password.
func TestServeTCP(t *testing.T) {
	s := newTestSandbox(t, Config{})
	ignore := goleak.IgnoreCurrent() // the sandbox's own, until the cleanup shuts it down
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
	if _, err := s.ServeTCP(ctx, l, "nonesuch"); err == nil {
		t.Error("unknown profile accepted")
	}
	addr := l.Addr().String()
	tlsConfig := &tls.Config{RootCAs: s.RootCAs(), ServerName: "sandbox"}

	for i := range 2 { // two clients, one shared mailbox
		c, err := smtp.DialStartTLS(addr, tlsConfig)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Auth(sasl.NewPlainClient("", "student", "practice")); err != nil {
			t.Fatal(err)
		}
		msg := "Subject: over TCP " + string(rune('A'+i)) + "\r\n\r\nhello\r\n"
		if err := c.SendMail("swaks@example.org", []string{"friend@example.org"}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
		if err := c.Mail("swaks@example.org", nil); err != nil {
			t.Fatal(err)
		}
		err = c.Rcpt("unknown@example.org", nil)
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 550 || se.EnhancedCode != (smtp.EnhancedCode{5, 1, 1}) {
			t.Errorf("unknown@: %v", err)
		}
		c.Quit()
	}
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Auth(sasl.NewLoginClient("student", "wrong"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 535 || se.EnhancedCode != (smtp.EnhancedCode{5, 7, 8}) {
		t.Errorf("wrong password: %v", err)
	}
	c.Close()

	lst := list(t, s, token)
	if len(lst.Messages) != 2 || lst.Messages[0].Subject != "over TCP B" {
		t.Fatalf("shared mailbox %+v", lst)
	}
	_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+lst.Messages[0].ID+"/raw")
	if !strings.Contains(string(raw), "Received: from localhost ([127.0.0.1])\r\n") ||
		!strings.Contains(string(raw), " with ESMTPSA id ") {
		t.Errorf("Received header: %s", raw)
	}

	cancel()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still open after ctx ended")
		}
	}
	leaktest.Check(t, ignore)
}

// TestServeTCPShutdown: Shutdown ends the listener and its connections.
func TestServeTCPShutdown(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ServeTCP(context.Background(), l, "sandbox-strict"); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, conn)
	c.expect("220 ")
	c.exact("MAIL FROM:<a@example.org>", "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first")
	got := readAll(c.r)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if lines := <-got; len(lines) != 1 || lines[0] != replyShutdown+"\r\n" {
		t.Errorf("got %q", lines)
	}
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Error("listener open after Shutdown")
	}
	leaktest.Check(t, ignore)
}
