package tunneltest

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/smtplay/smtplay/wire"
)

// API answers a GET of the playground's JSON API: path is "api/targets",
// "api/sandbox/{token}/messages" and so on. Over HTTP it is the proxy's;
// in a page it is the in-page sandbox's.
type API func(path string) (status int, body []byte)

// SeedSession is the contract check that every sandbox behind the tunnel
// passes, the proxy's and the in-page one alike: it reads the targets,
// types the first seed's session on a new client from dial (EHLO, STARTTLS,
// EHLO, AUTH LOGIN and PLAIN with the practice login, MAIL, RCPT, DATA with
// a UTF-8 body, QUIT), checks every reply and event, and finds the message
// in the mailbox API.
func SeedSession(c *Client, api API) {
	t := c.T
	t.Helper()
	var targets []struct {
		Name string
		Host string
		Port int
		TLS  string
		Demo *struct{ Username, Password string }
	}
	getJSON(t, api, "api/targets", &targets)
	if len(targets) == 0 || targets[0].Name != "sandbox" || targets[0].Demo == nil || targets[0].TLS != "none" {
		t.Fatalf("targets %+v", targets)
	}
	user, pass := targets[0].Demo.Username, targets[0].Demo.Password
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

	opened := c.Open("sandbox")
	if opened.Remote != "sandbox" || opened.Mailbox == "" || opened.Host != "sandbox" {
		t.Fatalf("opened %+v", opened)
	}
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("greeting %q", r)
	}
	c.Send("EHLO\r\n")
	if r := c.Reply(); r[0] != '5' {
		t.Fatalf("EHLO without a domain: %q", r)
	}
	c.Send("EHLO smtp.test\r\n")
	if r := c.Reply(); !strings.Contains(r, "STARTTLS") {
		t.Fatalf("EHLO: %q", r)
	}
	c.Send("STARTTLS\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("STARTTLS: %q", r)
	}
	var info wire.TLS
	c.Expect(wire.TypeTLS, &info)
	if !info.Verified || info.ServerName != "sandbox" || info.Discarded != 0 {
		t.Fatalf("tls %+v", info)
	}
	c.Send("EHLO smtp.test\r\n")
	if r := c.Reply(); !strings.Contains(r, "AUTH") || !strings.Contains(r, "LOGIN") {
		t.Fatalf("EHLO after TLS: %q", r)
	}
	c.Send("AUTH LOGIN\r\n")
	c.Line("334 VXNlcm5hbWU6\r\n")
	c.Send(b64(user) + "\r\n")
	c.Line("334 UGFzc3dvcmQ6\r\n")
	c.Send(b64("wrong") + "\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "535 5.7.8") {
		t.Fatalf("wrong password: %q", r)
	}
	c.Send("AUTH PLAIN " + b64("\x00"+user+"\x00"+pass) + "\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "235 ") {
		t.Fatalf("AUTH PLAIN: %q", r)
	}
	c.Send("RCPT TO:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "503 5.5.1") {
		t.Fatalf("RCPT before MAIL: %q", r)
	}
	c.Send("MAIL FROM:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("MAIL: %q", r)
	}
	c.Send("RCPT TO:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("RCPT: %q", r)
	}
	c.Send("DATA\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "354 ") {
		t.Fatalf("DATA: %q", r)
	}
	body := "Subject: TEST SMTP\r\nTo: <gorniksmtp@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Witaj, właśnie przeprowadzam test SMTP. ąćęłńóśźż\r\n" +
		"8-bit: \xe9t\xe9\r\n" +
		"..a line that starts with a dot\r\n"
	c.Send(body + ".\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("end of data: %q", r)
	}
	var d wire.Delivered
	c.Expect(wire.TypeDelivered, &d)
	if d.Subject != "TEST SMTP" || d.From != "gorniksmtp@example.org" || len(d.To) != 1 || d.ID == "" {
		t.Fatalf("delivered %+v", d)
	}
	c.Send("QUIT\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "221 ") {
		t.Fatalf("QUIT: %q", r)
	}
	c.Closed(wire.ByServer)

	var list struct {
		Messages []struct {
			ID, Subject string
			Size        int
		}
	}
	getJSON(t, api, "api/sandbox/"+opened.Mailbox+"/messages", &list)
	if len(list.Messages) != 1 || list.Messages[0].ID != d.ID || list.Messages[0].Subject != "TEST SMTP" {
		t.Fatalf("mailbox %+v", list)
	}
	status, raw := api("api/sandbox/" + opened.Mailbox + "/messages/" + d.ID + "/raw")
	want := strings.Replace(body, "\r\n..a line", "\r\n.a line", 1)
	if status != 200 || !strings.HasSuffix(string(raw), "\r\n"+want) || d.Size != len(want) {
		t.Fatalf("raw message %d %q (size %d), want it to end with %q (size %d)", status, raw, d.Size, want, len(want))
	}
	if n, _ := api("api/sandbox/nosuchtoken/messages"); n != 404 {
		t.Fatalf("unknown token: %d", n)
	}
}

// getJSON reads path from api into v, failing the test unless it is 200.
func getJSON(t interface {
	Helper()
	Fatalf(string, ...any)
}, api API, path string, v any) {
	t.Helper()
	status, body := api(path)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %q", path, err, body)
	}
}
