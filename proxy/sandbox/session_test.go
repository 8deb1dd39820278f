package sandbox

import (
	"crypto/tls"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedData is the message of the seed session: an encoded-word Subject, a
// UTF-8 line, an 8-bit line that is not UTF-8, and a line starting with a
// dot, which the client stuffs.
const seedData = "From: Student <student@example.org>\r\n" +
	"To: friend@example.net\r\n" +
	"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n" +
	"Date: Tue, 10 Mar 2026 10:00:00 +0100\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Grüße, ☃ and 日本語\r\n" +
	"caf\xe9 in latin-1\r\n" +
	"..a line that starts with a dot\r\n"

// seedStored is seedData as the sandbox must store it: dot-unstuffed.
var seedStored = strings.Replace(seedData, "\r\n..a line", "\r\n.a line", 1)

func TestSeedSession(t *testing.T) {
	s := newTestSandbox(t, Config{})
	deliveries := make(chan Delivery, 4)
	conn, token, err := s.Connect("sandbox", "", func(d Delivery) { deliveries <- d })
	if err != nil {
		t.Fatal(err)
	}
	if token == "" {
		t.Fatal("no mailbox token")
	}
	c := newClient(t, conn)
	c.expect("220 sandbox.smtplay ESMTP")

	c.exact("EHLO", "501 5.5.2 Syntax: EHLO your.domain (or HELO your.domain): say who you are")
	ehlo := c.do("EHLO client.example", "250 ")
	if ehlo[0] != "250-sandbox.smtplay Hello client.example" {
		t.Errorf("EHLO first line %q: RFC 5321 wants the server's domain first", ehlo[0])
	}
	for _, want := range []string{"250-STARTTLS", "250-AUTH PLAIN LOGIN", "250-SIZE 10485760", "250-8BITMIME", "250-PIPELINING"} {
		if !slices.Contains(ehlo, want) {
			t.Errorf("EHLO reply %q lacks %q", ehlo, want)
		}
	}

	st := c.startTLS(s, "sandbox")
	if st.Version < tls.VersionTLS12 {
		t.Errorf("TLS version %x", st.Version)
	}
	ehlo = c.do("EHLO client.example", "250 ")
	if slices.Contains(ehlo, "250-STARTTLS") {
		t.Errorf("STARTTLS offered again after TLS: %q", ehlo)
	}
	if !slices.Contains(ehlo, "250-AUTH PLAIN LOGIN") {
		t.Errorf("no AUTH after TLS: %q", ehlo)
	}

	// AUTH LOGIN with the exact prompts, and a wrong password.
	c.exact("AUTH LOGIN", "334 VXNlcm5hbWU6")
	c.exact(b64("student"), "334 UGFzc3dvcmQ6")
	c.exact(b64("wrong"), "535 5.7.8 Authentication credentials invalid (use the practice login shown on the page)")
	if got := c.authPlain("student", "practice"); got[0] != "235 2.7.0 Authentication successful" {
		t.Fatalf("AUTH PLAIN: %q", got)
	}

	c.exact("RCPT TO:<friend@example.net>", "503 5.5.1 Bad sequence of commands: MAIL FROM must come before RCPT TO")
	c.exact("MAIL FROM:<student@example.org>", "250 2.1.0 Sender OK, accepting mail from <student@example.org>")
	c.exact("RCPT TO:<friend@example.net>", "250 2.1.5 Recipient OK, I'll make sure <friend@example.net> gets this")
	c.exact("DATA", "354 Go ahead. End your data with <CR><LF>.<CR><LF>")
	c.send(seedData + ".\r\n")
	final := c.reply()
	// onDeliver runs before the 250 is written, so it has run by now.
	var d Delivery
	select {
	case d = <-deliveries:
	default:
		t.Fatal("delivered hook not called before the 250 was read")
	}
	if want := "250 2.0.0 Ok: queued as " + d.ID; len(final) != 1 || final[0] != want {
		t.Fatalf("end of DATA: %q, want %q", final, want)
	}
	if d.From != "student@example.org" || !slices.Equal(d.To, []string{"friend@example.net"}) ||
		d.Subject != "Grüße aus Köln" || d.Size != len(seedStored) {
		t.Errorf("delivery %+v", d)
	}
	c.exact("QUIT", "221 2.0.0 Bye")
	c.expectEOF()

	// The raw API: trace headers, then exactly the DATA bytes.
	code, h, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+d.ID+"/raw")
	if code != 200 || h.Get("Content-Type") != "message/rfc822" {
		t.Fatalf("raw: %d %q", code, h.Get("Content-Type"))
	}
	trace, data, ok := strings.Cut(string(raw), "\r\nFrom: Student")
	if !ok || "From: Student"+data != seedStored {
		t.Fatalf("raw does not end with the DATA bytes:\n%q", raw)
	}
	traceRE := regexp.MustCompile(`^Return-Path: <student@example\.org>\r\n` +
		`Received: from client\.example \(via the smtplay page\)\r\n` +
		`\tby sandbox\.smtplay \(smtplay sandbox, profile sandbox\) with ESMTPSA id ` + d.ID + `\r\n` +
		`\tfor <friend@example\.net>;\r\n` +
		`\t\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$`)
	if !traceRE.MatchString(trace) {
		t.Errorf("trace headers:\n%s", trace)
	}

	// The parsed view.
	var v messageView
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+d.ID, &v)
	if v.Subject != "Grüße aus Köln" || v.Date != "2026-03-10T10:00:00+01:00" {
		t.Errorf("subject %q date %q", v.Subject, v.Date)
	}
	if !strings.HasPrefix(v.Text, "Grüße, ☃ and 日本語\r\ncaf\uFFFD in latin-1\r\n.a line") {
		t.Errorf("text %q", v.Text)
	}
	if v.Headers[0].Name != "Return-Path" || v.Headers[1].Name != "Received" {
		t.Errorf("headers %v", v.Headers)
	}
}

func TestDeliveredOnEveryMessage(t *testing.T) {
	s := newTestSandbox(t, Config{})
	var got []Delivery
	c, token := dial(t, s, "sandbox", "", func(d Delivery) { got = append(got, d) })
	c.do("EHLO client.example", "250 ")
	for i := range 3 {
		c.sendMessage("a@example.org", []string{"b@example.org", "c@example.org"}, "Subject: n"+string(rune('0'+i))+"\r\n\r\nhi\r\n")
	}
	c.exact("QUIT", "221 2.0.0 Bye")
	if len(got) != 3 || got[2].Subject != "n2" || len(got[0].To) != 2 {
		t.Fatalf("deliveries %+v", got)
	}
	l := list(t, s, token)
	if len(l.Messages) != 3 || l.Messages[0].ID != got[2].ID {
		t.Fatalf("list not newest first: %+v", l)
	}
	if _, err := time.Parse(time.RFC3339, l.Messages[0].Received); err != nil {
		t.Errorf("received: %v", err)
	}
}

func TestAuth(t *testing.T) {
	s := newTestSandbox(t, Config{})
	tests := []struct {
		name  string
		lines []string // client lines; the last reply is checked
		want  string
	}{
		{"plain ok", []string{"AUTH PLAIN " + b64("\x00student\x00practice")}, "235 2.7.0 Authentication successful"},
		{"plain with authzid", []string{"AUTH PLAIN " + b64("student\x00student\x00practice")}, "235 "},
		{"plain acting for another", []string{"AUTH PLAIN " + b64("admin\x00student\x00practice")}, "535 5.7.8 "},
		{"plain wrong password", []string{"AUTH PLAIN " + b64("\x00student\x00nope")}, "535 5.7.8 "},
		{"plain wrong user", []string{"AUTH PLAIN " + b64("\x00teacher\x00practice")}, "535 5.7.8 "},
		{"plain malformed", []string{"AUTH PLAIN " + b64("student practice")}, "501 5.5.2 Cannot decode"},
		{"plain no initial response", []string{"AUTH PLAIN", b64("\x00student\x00practice")}, "235 "},
		{"plain bad base64", []string{"AUTH PLAIN !!!"}, "501 5.5.2 Cannot decode the response: it is not valid base64"},
		{"login answer bad base64", []string{"AUTH LOGIN", "student"}, "501 5.5.2 Cannot decode the response: it is not valid base64"},
		{"login name with a newline", []string{"AUTH LOGIN", "c3R1ZGVudAo=", b64("practice")}, "535 5.7.8 Authentication credentials invalid: your username or password ends with a newline"},
		{"login password with a newline", []string{"AUTH LOGIN " + b64("student"), b64("practice\n")}, "535 5.7.8 Authentication credentials invalid: your username or password ends with a newline"},
		{"plain name with a newline", []string{"AUTH PLAIN " + b64("\x00student\n\x00practice")}, "535 5.7.8 Authentication credentials invalid: your username"},
		{"login with initial response", []string{"AUTH LOGIN " + b64("student"), b64("practice")}, "235 "},
		{"login cancelled", []string{"AUTH LOGIN", "*"}, "501 5.7.0 Authentication aborted"},
		{"unknown mechanism", []string{"AUTH CRAM-MD5"}, "504 5.5.4 Unrecognized authentication type"},
		{"no mechanism", []string{"AUTH"}, "501 5.5.4 Syntax: AUTH mechanism"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := dial(t, s, "sandbox", "", nil)
			c.do("EHLO client.example", "250 ")
			var got []string
			for _, l := range tt.lines {
				got = c.cmd(l)
			}
			if !strings.HasPrefix(got[0], tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("twice", func(t *testing.T) {
		c, _ := dial(t, s, "sandbox", "", nil)
		c.do("EHLO client.example", "250 ")
		c.authPlain("student", "practice")
		c.do("AUTH PLAIN "+b64("\x00student\x00practice"), "503 5.5.1 ")
	})
	t.Run("in a transaction", func(t *testing.T) {
		c, _ := dial(t, s, "sandbox", "", nil)
		c.do("EHLO client.example", "250 ")
		c.do("MAIL FROM:<a@example.org>", "250 ")
		c.do("AUTH PLAIN "+b64("\x00student\x00practice"), "503 5.5.1 Bad sequence of commands: AUTH is not allowed")
	})
	t.Run("forgotten after STARTTLS", func(t *testing.T) {
		c, _ := dial(t, s, "sandbox", "", nil)
		c.do("EHLO client.example", "250 ")
		c.authPlain("student", "practice")
		c.startTLS(s, "sandbox")
		// RFC 3207: no EHLO yet after TLS, and the login is gone.
		c.exact("MAIL FROM:<a@example.org>", "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first")
		c.do("EHLO client.example", "250 ")
		c.do("AUTH PLAIN "+b64("\x00student\x00practice"), "235 ")
	})
}

func TestSequenceErrors(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox", "", nil)
	c.exact("MAIL FROM:<a@example.org>", "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first")
	c.exact("AUTH PLAIN", "503 5.5.1 Bad sequence of commands: say EHLO (or HELO) first")
	c.do("HELO client.example", "250 sandbox.smtplay Hello client.example")
	c.exact("RCPT TO:<b@example.org>", "503 5.5.1 Bad sequence of commands: MAIL FROM must come before RCPT TO")
	c.exact("DATA", "503 5.5.1 Bad sequence of commands: first MAIL FROM, then at least one accepted RCPT TO")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.exact("MAIL FROM:<a@example.org>", "503 5.5.1 Bad sequence of commands: a mail transaction is already open (RSET starts over)")
	c.exact("DATA", "503 5.5.1 Bad sequence of commands: first MAIL FROM, then at least one accepted RCPT TO")
	c.exact("RSET", "250 2.0.0 Session reset")
	c.do("MAIL FROM:<a@example.org>", "250 ")
	c.exact("NOOP", "250 2.0.0 I have successfully done nothing")
	c.exact("VRFY student@example.org", "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery (servers seldom confirm addresses)")
	c.exact("EXPN list", "502 5.5.1 EXPN command not implemented")
}

func TestHELOReceivedHeader(t *testing.T) {
	s := newTestSandbox(t, Config{})
	var d Delivery
	c, token := dial(t, s, "sandbox", "", func(x Delivery) { d = x })
	c.do("HELO old.example", "250 ")
	c.sendMessage("", []string{"a@example.org", "b@example.org"}, "Subject: x\r\n\r\nbody\r\n")
	_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+d.ID+"/raw")
	want := "Return-Path: <>\r\nReceived: from old.example (via the smtplay page)\r\n" +
		"\tby sandbox.smtplay (smtplay sandbox, profile sandbox) with SMTP id " + d.ID + ";\r\n"
	if !strings.HasPrefix(string(raw), want) {
		t.Fatalf("raw %q, want prefix %q", raw, want)
	}
	if d.From != "" {
		t.Errorf("null sender: %q", d.From)
	}
}

func TestHelpAndTypos(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox-strict", "", nil)
	help := c.cmd("HELP")
	if !strings.HasPrefix(help[0], "214-2.0.0 sandbox.smtplay, smtplay practice server, profile sandbox-strict") ||
		!strings.HasPrefix(help[len(help)-1], "214 2.0.0 ") {
		t.Errorf("HELP: %q", help)
	}
	faultsHelp := strings.Join(c.cmd("help faults"), "\n")
	for _, f := range faults {
		if !strings.Contains(faultsHelp, f.local+"@") {
			t.Errorf("HELP faults does not list %s@:\n%s", f.local, faultsHelp)
		}
	}
	c.exact("HELP mail", "214 2.0.0 MAIL FROM:<address>: start a message and give its return path (RFC 5321 section 4.1.1.2)")
	c.exact("HELP bogus", "504 5.5.4 No help on bogus: try HELP, or HELP faults")
	// Typos are answered and never end the session (go-smtp would close after 4).
	for range 10 {
		c.exact("HELLO there", "500 5.5.2 Command not recognised: HELLO (HELP lists the commands)")
	}
	c.exact("", "500 5.5.2 Empty line: type a command, for example EHLO client.example")
	c.exact("MAILFROM:<a@b>", "500 5.5.2 Command not recognised: MAILFROM:<A@B> (HELP lists the commands)")
	c.exact("\xff\x01", "500 5.5.2 Command not recognised: ?? (HELP lists the commands)")
	c.do("EHLO client.example", "250 ")
}

func TestSMTPUTF8(t *testing.T) {
	s := newTestSandbox(t, Config{})
	var d Delivery
	c, token := dial(t, s, "sandbox", "", func(x Delivery) { d = x })
	if ehlo := c.do("EHLO client.example", "250 "); !slices.Contains(ehlo, "250-SMTPUTF8") {
		t.Fatalf("SMTPUTF8 not offered: %q", ehlo)
	}
	c.do("MAIL FROM:<jörg@bücher.example> SMTPUTF8", "250 ")
	c.do("RCPT TO:<小林@例え.jp>", "250 ")
	c.do("DATA", "354 ")
	c.send("Subject: ünïcödé\r\n\r\nhi\r\n.\r\n")
	c.expect("250 ")
	if d.From != "jörg@bücher.example" || d.To[0] != "小林@例え.jp" || d.Subject != "ünïcödé" {
		t.Fatalf("delivery %+v", d)
	}
	_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+d.ID+"/raw")
	if !strings.Contains(string(raw), " with UTF8SMTP id ") {
		t.Errorf("raw %q", raw)
	}
}
