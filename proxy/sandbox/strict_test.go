package sandbox

import (
	"strings"
	"testing"
	"time"
)

// TestBareLineEndings sends bare LF and bare CR in every place a client can
// (docs/SECURITY.md, T5 and test plan 2-4): the sandbox answers 500 5.5.2, closes, and
// stores nothing.
func TestBareLineEndings(t *testing.T) {
	s := newTestSandbox(t, Config{})
	tests := []struct {
		name   string
		tls    bool
		inData bool
		bytes  string
		want   string
	}{
		{"LF ends a command", false, false, "NOOP\n", replyBareLF},
		{"LF inside pipelined commands", false, false, "RCPT TO:<a@example.org>\nDATA\r\n", replyBareLF},
		{"CR inside a command", false, false, "NOOP\rNOOP\r\n", replyBareCR},
		{"LF in DATA", false, true, "Subject: x\r\n\r\nline\nmore\r\n.\r\n", replyBareLF},
		{"LF.LF smuggling", false, true, "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<ceo@bank.example>\r\n", replyBareLF},
		{"LF.CRLF smuggling", false, true, "Subject: x\r\n\r\nbody\n.\r\nMAIL FROM:<ceo@bank.example>\r\n", replyBareLF},
		{"CR.CR smuggling", false, true, "Subject: x\r\n\r\nbody\r.\rMAIL FROM:<x@y>\r\n", replyBareCR},
		{"LF in DATA after TLS", true, true, "Subject: x\r\n\r\nline\nmore\r\n.\r\n", replyBareLF},
		{"LF in a command after TLS", true, false, "NOOP\n", replyBareLF},
		{"CR in DATA after TLS", true, true, "Subject: x\r\n\r\na\rb\r\n.\r\n", replyBareCR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, token := dial(t, s, "sandbox", "", nil)
			c.do("EHLO client.example", "250 ")
			if tt.tls {
				c.startTLS(s, "sandbox")
				c.do("EHLO client.example", "250 ")
			}
			if tt.inData {
				c.do("MAIL FROM:<a@example.org>", "250 ")
				c.do("RCPT TO:<b@example.org>", "250 ")
				c.do("DATA", "354 ")
			}
			c.send(tt.bytes)
			if got := c.reply(); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			c.expectEOF()
			if l := list(t, s, token); len(l.Messages) != 0 {
				t.Fatalf("stored %d messages", len(l.Messages))
			}
		})
	}
}

// TestBDATLineEndings checks chunk bytes too, across chunk boundaries.
func TestBDATLineEndings(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.do("RCPT TO:<b@example.org>", "250 ")
	c.send("BDAT 10\r\nSubject: x")
	c.expect("250 2.0.0 Continue")
	c.send("BDAT 6 LAST\r\n\r\nhi\n\n")
	if got := c.reply(); got[0] != replyBareLF {
		t.Fatalf("got %q", got)
	}
	c.expectEOF()
	if l := list(t, s, token); len(l.Messages) != 0 {
		t.Fatalf("stored %d messages", len(l.Messages))
	}
}

func TestBDAT(t *testing.T) {
	s := newTestSandbox(t, Config{})
	var d Delivery
	c, token := dial(t, s, "sandbox", "", func(x Delivery) { d = x })
	c.do("EHLO client.example", "250 ")
	c.exact("BDAT 3", "503 5.5.1 Bad sequence of commands: first MAIL FROM, then at least one accepted RCPT TO")
	c.send("xyz") // the chunk follows even a refused BDAT
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.do("RCPT TO:<b@example.org>", "250 ")
	// A chunk may hold "STARTTLS" or "HELP" lines: they are data, not commands.
	c.send("BDAT 20\r\nSubject: x\r\n\r\nSTARTT")
	c.expect("250 2.0.0 Continue")
	c.exact("MAIL FROM:<c@example.org>", "503 5.5.1 Bad sequence of commands: finish the BDAT message first (BDAT ... LAST)")
	c.exact("RCPT TO:<c@example.org>", "503 5.5.1 Bad sequence of commands: finish the BDAT message first (BDAT ... LAST)")
	c.exact("DATA", "503 5.5.1 Bad sequence of commands: DATA cannot follow BDAT in one message")
	c.send("BDAT 10 LAST\r\nLS\r\nHELP\r\n")
	c.expect("250 2.0.0 Ok: queued as ")
	_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+d.ID+"/raw")
	if !strings.HasSuffix(string(raw), "\r\nSubject: x\r\n\r\nSTARTTLS\r\nHELP\r\n") {
		t.Fatalf("raw %q", raw)
	}
	c.exact("BDAT x", "501 5.5.4 Malformed size argument")
	c.exact("NOOP", "250 2.0.0 I have successfully done nothing")
}

func TestLineLimits(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")

	// 512 octets with CRLF is allowed, 513 is not; the session goes on.
	c.exact("NOOP "+strings.Repeat("x", 512-len("NOOP \r\n")), "250 2.0.0 I have successfully done nothing")
	c.exact("NOOP "+strings.Repeat("x", 513-len("NOOP \r\n")), replyCommandTooLong)
	c.exact("NOOP "+strings.Repeat("x", 100000), replyCommandTooLong)
	c.exact("NOOP", "250 2.0.0 I have successfully done nothing")
	// AUTH lines may be longer (RFC 4954), up to 12288.
	c.exact("AUTH PLAIN "+strings.Repeat("A", 2000), "501 5.5.2 Cannot decode the AUTH PLAIN response: it should be base64 of authzid NUL username NUL password")

	// Text lines: 1000 octets with CRLF, 1001 if the client stuffed a dot.
	ok := strings.Repeat("a", 998) + "\r\n"
	stuffed := "." + strings.Repeat(".", 998) + "\r\n"
	got := c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: ok\r\n\r\n"+ok+stuffed)
	if !strings.HasPrefix(got[0], "250 2.0.0 Ok: queued as ") {
		t.Fatalf("1000-octet lines: %q", got)
	}
	long := strings.Repeat("a", 999) + "\r\n"
	got = c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: long\r\n\r\n"+long+"after\r\n")
	if got[0] != "500 5.5.2 Line too long: a line of your message has more than 1000 octets including CRLF (RFC 5321 section 4.5.3.1.6); message not stored" {
		t.Fatalf("1001-octet line: %q", got)
	}
	got = c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: huge\r\n\r\n"+strings.Repeat("b", 50000)+"\r\n")
	if !strings.HasPrefix(got[0], "500 5.5.2 Line too long") {
		t.Fatalf("50000-octet line: %q", got)
	}
	// The refusal does not stick to the next message.
	got = c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: fine\r\n\r\nfine\r\n")
	if !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("after a refused message: %q", got)
	}
	l := list(t, s, token)
	if len(l.Messages) != 2 || l.Messages[0].Subject != "fine" || l.Messages[1].Subject != "ok" {
		t.Fatalf("stored %+v", l.Messages)
	}

	// An AUTH answer past 12288 octets ends the connection.
	c.exact("AUTH LOGIN", "334 VXNlcm5hbWU6")
	c.exact(strings.Repeat("A", 13000), replyAuthLineTooLong)
	c.expectEOF()
}

func TestSizeLimit(t *testing.T) {
	s := newTestSandbox(t, Config{MaxMessageBytes: 1000})
	c, token := dial(t, s, "sandbox", "", nil)
	ehlo := c.do("EHLO client.example", "250 ")
	if !strings.Contains(strings.Join(ehlo, "\n"), "250-SIZE 1000") {
		t.Errorf("SIZE not advertised: %q", ehlo)
	}
	c.exact("MAIL FROM:<a@example.org> SIZE=1001",
		"552 5.3.4 Message too big: this server accepts at most 1000 octets (SIZE in the EHLO reply)")
	got := c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: big\r\n\r\n"+strings.Repeat("0123456789abcdef\r\n", 100))
	if got[0] != "552 5.3.4 Message too big: this server accepts at most 1000 octets (SIZE in the EHLO reply); message not stored" {
		t.Fatalf("got %q", got)
	}
	c.exact("NOOP", "250 2.0.0 I have successfully done nothing")
	got = c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: small\r\n\r\nhi\r\n")
	if !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("got %q", got)
	}
	if l := list(t, s, token); len(l.Messages) != 1 || l.Messages[0].Subject != "small" {
		t.Fatalf("stored %+v", l.Messages)
	}
}

func TestRecipientLimit(t *testing.T) {
	s := newTestSandbox(t, Config{MaxRecipients: 3})
	var d Delivery
	c, _ := dial(t, s, "sandbox", "", func(x Delivery) { d = x })
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	for _, r := range []string{"r1", "r2", "r3"} {
		c.do("RCPT TO:<"+r+"@example.org>", "250 ")
	}
	c.exact("RCPT TO:<r4@example.org>", "452 4.5.3 Too many recipients: at most 3 per message; send the rest in another message")
	c.do("DATA", "354 ")
	c.send("Subject: x\r\n\r\nx\r\n.\r\n")
	c.expect("250 ")
	if len(d.To) != 3 {
		t.Fatalf("delivered to %q", d.To)
	}
}

// TestSTARTTLSDiscardsPipelinedPlaintext: bytes sent behind STARTTLS, before
// the handshake, are thrown away (docs/SECURITY.md, T6).
// Over TCP too, where a connection keeps its line reader between lines.
func TestSTARTTLSDiscardsPipelinedPlaintext(t *testing.T) {
	for _, way := range []string{"pipe", "tcp"} {
		t.Run(way, func(t *testing.T) {
			s := newTestSandbox(t, Config{})
			c, _ := dialWay(t, s, way)
			c.do("EHLO client.example", "250 ")
			c.send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n")
			c.expect("220 ")
			c.handshake(s, "sandbox")
			// Had the MAIL been kept, this would be answered 250 or 503 (nested).
			c.exact("MAIL FROM:<a@example.org>", "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first")
			c.do("EHLO client.example", "250 ")
			c.exact("STARTTLS", "503 5.5.1 TLS is already active")
			c.exact("MAIL FROM:<a@example.org>", "250 2.1.0 Sender OK, accepting mail from <a@example.org>")
		})
	}
}

func TestSTARTTLSSyntaxAndFailure(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox", "", nil)
	c.exact("STARTTLS now", "501 5.5.4 Syntax: STARTTLS takes no parameters")
	c.exact("STARTTLS", "220 2.0.0 Ready to start TLS")
	c.send("this is not a TLS ClientHello\r\n")
	c.expectEOF()
}

// TestDefaultSizeCap sends 11 MiB to the default 10 MiB cap (docs/SECURITY.md,
// test plan 7): 552 5.3.4, nothing stored, the connection still usable.
func TestDefaultSizeCap(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 11 MiB")
	}
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.conn.SetDeadline(time.Now().Add(time.Minute))
	c.do("EHLO client.example", "250 ")
	line := strings.Repeat("x", 78) + "\r\n"
	body := "Subject: big\r\n\r\n" + strings.Repeat(line, 11<<20/len(line))
	start := time.Now()
	got := c.sendMessage("a@example.org", []string{"b@example.org"}, body)
	t.Logf("11 MiB DATA answered in %v", time.Since(start))
	if !strings.HasPrefix(got[0], "552 5.3.4 Message too big: this server accepts at most 10485760 octets") {
		t.Fatalf("got %q", got)
	}
	c.exact("NOOP", "250 2.0.0 I have successfully done nothing")
	if st := s.Stats(); st.StoredBytes != 0 || len(list(t, s, token).Messages) != 0 {
		t.Fatal("stored")
	}
}
